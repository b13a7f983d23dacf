"""A plan element's own budget per fiscal year and its indicators."""

from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import first, select
from kgservice.store import Store

BUDGETS = """
SELECT ?s ?b ?fy ?amount ?source ?sourceLabel WHERE {
  ?s tp:budget ?b . ?b tp:fiscalYear ?fy ; tp:amount ?amount .
  OPTIONAL { ?b tp:budgetSource ?source . OPTIONAL { ?source rdfs:label ?sourceLabel } }
} ORDER BY ?fy
"""

INDICATORS = """
SELECT ?s ?i ?label ?target ?unit ?year WHERE {
  ?s tp:indicator ?i .
  OPTIONAL { ?i rdfs:label ?label }
  OPTIONAL { ?i tp:targetValue ?target }
  OPTIONAL { ?i tp:unit ?unit }
  OPTIONAL { ?i tp:targetFiscalYear ?year }
}
"""


@dataclass(frozen=True)
class Allocation:
    iri: str
    fiscal_year: int
    amount: float
    source: str | None
    source_label: str | None


@dataclass(frozen=True)
class IndicatorRow:
    iri: str
    label: str
    target: str | None
    unit: str | None
    year: str | None


def budgets(store: Store, iri: str, lang: str) -> list[Allocation]:
    rows = select(store, BUDGETS, s=ox.NamedNode(iri))
    labels = LabelIndex()
    labels.add_rows(rows, "source", "sourceLabel")
    by_iri = {
        r["b"].value: Allocation(
            r["b"].value,
            int(r["fy"].value),
            float(r["amount"].value),
            first(r, "source"),
            labels.get(r["source"].value, lang) if "source" in r else None,
        )
        for r in rows
    }
    return sorted(by_iri.values(), key=lambda a: (a.fiscal_year, a.iri))


def indicators(store: Store, iri: str, lang: str) -> list[IndicatorRow]:
    rows = select(store, INDICATORS, s=ox.NamedNode(iri))
    labels = LabelIndex()
    labels.add_rows(rows, "i", "label")
    units = LabelIndex()
    units.add_rows(rows, "i", "unit")
    by_iri = {
        r["i"].value: IndicatorRow(
            r["i"].value,
            labels.get(r["i"].value, lang),
            first(r, "target"),
            units.get(r["i"].value, lang) if units.known(r["i"].value) else None,
            first(r, "year"),
        )
        for r in rows
    }
    return sorted(by_iri.values(), key=lambda i: i.iri)
