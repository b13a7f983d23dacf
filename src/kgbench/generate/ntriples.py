"""Writing N-Triples lines fast: terms are preformatted strings."""

from pathlib import Path
from typing import TextIO

from kgservice.namespaces import TP

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    return f"<{value}>"


def tp(name: str) -> str:
    return f"<{TP}{name}>"


def text(value: str, lang: str) -> str:
    return f'"{value.translate(_ESCAPES)}"@{lang}'


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def decimal(value: int | str) -> str:
    return f'"{value}"^^<{XSD}decimal>'


def string(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"'


class Triples:
    """Lines of one output file, counted."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def labelled(self, s: str, kind: str, label_th: str, label_en: str | None = None) -> None:
        self.add(s, RDF_TYPE, tp(kind))
        self.add(s, RDFS_LABEL, text(label_th, "th"))
        if label_en:
            self.add(s, RDFS_LABEL, text(label_en, "en"))

    def __len__(self) -> int:
        return len(self.lines)

    def write(self, path: Path) -> int:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(self.lines)
        return len(self.lines)


def append(out: TextIO, triples: Triples) -> int:
    out.writelines(triples.lines)
    return len(triples)
