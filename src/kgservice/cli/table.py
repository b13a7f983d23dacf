"""Query solutions as an aligned text table for the terminal, with Thai labels in place of IRIs.

A column ``?x`` that has a label column ``?xLabel`` shows the label (the IRI when there is none);
other IRIs are shortened with the usual prefixes or relative to the data base IRI. Widths count
what a terminal shows: Thai vowel and tone marks take no column, wide characters take two.
"""

import unicodedata
from collections.abc import Sequence

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES

LABEL = "Label"


def render(variables: Sequence[str], rows: Sequence[ox.QuerySolution], *, base: str) -> str:
    shown = [v for v in variables if not (v.endswith(LABEL) and v[: -len(LABEL)] in variables)]
    cells = [[_cell(row, v, variables, base) for v in shown] for row in rows]
    widths = [max([width(v), *(width(r[i]) for r in cells)]) for i, v in enumerate(shown)]
    lines = [line(shown, widths), line(["-" * w for w in widths], widths)]
    lines += [line(r, widths) for r in cells]
    return "\n".join(lines) + f"\n({len(rows)} rows)\n"


def width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1


def line(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()


def _cell(row: ox.QuerySolution, name: str, variables: Sequence[str], base: str) -> str:
    label = row[name + LABEL] if name + LABEL in variables else None
    term = label if label is not None else row[name]
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return short(term.value, base)
    return str(term.value).replace("\n", " ")


def short(iri: str, base: str) -> str:
    """``tp:LocalLevel`` for a vocabulary term, ``plan/x`` for a data IRI under ``base``."""
    if iri.startswith(base):
        return iri[len(base) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
