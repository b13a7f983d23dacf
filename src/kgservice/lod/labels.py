"""Labels in the reader's language: Thai first, then English, then any, then the IRI's last part."""

import re
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.store import Term

LANGUAGES = ("th", "en")


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


def natural(text: str) -> list[str | int]:
    """Sort key that puts "2" before "10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


@dataclass(frozen=True)
class Linked:
    """Something to link to, with its label in the reader's language."""

    iri: str
    label: str


class LabelIndex:
    """Collects ``rdfs:label``-like literals per IRI and picks one for a language."""

    def __init__(self) -> None:
        self._labels: dict[str, dict[str, str]] = defaultdict(dict)

    def add(self, iri: str, literal: Term | None) -> None:
        if isinstance(literal, ox.Literal):
            self._labels[iri].setdefault(literal.language or "", literal.value)

    def add_rows(self, rows: list[dict[str, Term]], subject: str, label: str) -> None:
        for row in rows:
            if subject in row:
                self.add(row[subject].value, row.get(label))

    @classmethod
    def of(cls, rows: list[dict[str, Term]], *pairs: tuple[str, str]) -> "LabelIndex":
        """The labels found in ``rows``, each pair naming an IRI column and its label column."""
        index = cls()
        for subject, label in pairs:
            index.add_rows(rows, subject, label)
        return index

    def known(self, iri: str) -> bool:
        return iri in self._labels

    def get(self, iri: str, lang: str) -> str:
        by_lang = self._labels.get(iri, {})
        for candidate in (lang, *LANGUAGES, ""):
            if candidate in by_lang:
                return by_lang[candidate]
        return next(iter(by_lang.values()), local_name(iri))
