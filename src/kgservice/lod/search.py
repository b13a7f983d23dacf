"""What the search results page shows beside each hit and facet: labels of the types, owners,
provinces and levels it names, in the reader's language."""

from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.namespaces import TP
from kgservice.search.query import Results
from kgservice.store import Store

LABELS = "SELECT ?s ?label WHERE { VALUES ?s { %s } ?s rdfs:label ?label }"
LEVELS = "SELECT ?level ?rank WHERE { ?level tp:rank ?rank }"
FACET_TYPES = {
    TP + name
    for name in (
        *("Plan", "Strategy", "Programme", "Project", "Activity", "Indicator", "Agreement"),
        *("LocalGovernment", "Province", "District", "Subdistrict"),
    )
}
"""The kinds offered as facets: the ones people narrow by, not every superclass."""


@dataclass(frozen=True)
class Facet:
    name: str
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchPage:
    labels: dict[str, str]
    """Type, owner, province and level IRIs (and level ranks as text) -> label."""
    facets: list[Facet]


def describe_hits(store: Store, results: Results, lang: str) -> SearchPage:
    ranks = {row["rank"].value: row["level"].value for row in select(store, LEVELS)}
    named = {i for h in results.hits for i in (*h.types, h.owner, h.province) if i}
    named |= set(results.facets.get("province", {})) | FACET_TYPES | set(ranks.values())
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(named))
    index = LabelIndex.of(select(store, LABELS % values), ("s", "label"))
    labels = {i: index.get(i, lang) for i in named}
    labels |= {rank: labels[iri] for rank, iri in ranks.items()}
    return SearchPage(labels, _facets(results, labels))


def _facets(results: Results, labels: dict[str, str]) -> list[Facet]:
    found: list[Facet] = []
    for name, counts in results.facets.items():
        for value, count in sorted(counts.items(), key=lambda c: -c[1]):
            if name == "type" and value not in FACET_TYPES:
                continue
            if name == "level" and value == "0":
                continue
            found.append(Facet(name, value, labels.get(value, value), count))
    return found
