"""Label search over the data: Thai or English, substring, case-insensitive, a bounded list."""

from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.store import Store

MAX_RESULTS = 50
MAX_QUERY_CHARS = 200

SEARCH = """
SELECT ?needle ?base ?s ?label ?type ?typeLabel WHERE {
  ?s rdfs:label ?label .
  FILTER(STRSTARTS(STR(?s), ?base) && CONTAINS(LCASE(STR(?label)), ?needle))
  OPTIONAL { ?s a ?type . OPTIONAL { ?type rdfs:label ?typeLabel } }
} LIMIT 400
"""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    type_label: str


def search(store: Store, base_iri: str, text: str, lang: str) -> list[Hit]:
    needle = text.strip().lower()[:MAX_QUERY_CHARS]
    if not needle:
        return []
    rows = select(store, SEARCH, needle=ox.Literal(needle), base=ox.Literal(base_iri))
    labels = LabelIndex()
    labels.add_rows(rows, "s", "label")
    types = LabelIndex()
    types.add_rows(rows, "type", "typeLabel")
    hits: dict[str, Hit] = {}
    for r in rows:
        iri = r["s"].value
        type_label = types.get(r["type"].value, lang) if "type" in r else ""
        if iri not in hits or (type_label and not hits[iri].type_label):
            hits[iri] = Hit(iri, labels.get(iri, lang), r["label"].value, type_label)
    return sorted(hits.values(), key=lambda h: (len(h.matched), h.label))[:MAX_RESULTS]
