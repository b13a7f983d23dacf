"""The linkage chain from a plan element up to the National Strategy, for the breadcrumb.

Upward steps follow ``tp:supports`` before ``tp:partOf``: a local strategy is part of its local
plan but the chain a reader wants goes through the provincial strategy it supports.
"""

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.namespaces import TP
from kgservice.store import Store

UPWARD_EDGES = """
SELECT ?s ?a ?rel ?b ?label ?type WHERE {
  ?s (tp:supports|tp:partOf)* ?a .
  VALUES ?rel { tp:supports tp:partOf }
  ?a ?rel ?b .
  OPTIONAL { ?b rdfs:label ?label }
  OPTIONAL { ?b a ?type }
}
"""

NATIONAL_STRATEGY = TP + "NationalStrategy"
MAX_DEPTH = 12


@dataclass(frozen=True)
class Step:
    iri: str
    label: str


@dataclass(frozen=True)
class Chain:
    steps: list[Step]  # top (the National Strategy) first, the element itself last
    reaches_national: bool


def linkage_chain(store: Store, iri: str, own_label: str, lang: str) -> Chain:
    rows = select(store, UPWARD_EDGES, s=ox.NamedNode(iri))
    labels = LabelIndex()
    labels.add_rows(rows, "b", "label")
    up: dict[str, list[tuple[int, str]]] = defaultdict(list)
    national = {r["b"].value for r in rows if r.get("type") == ox.NamedNode(NATIONAL_STRATEGY)}
    for r in rows:
        preference = 0 if r["rel"].value == TP + "supports" else 1
        up[r["a"].value].append((preference, r["b"].value))
    path = _best_path(iri, up, national)
    steps = [Step(node, labels.get(node, lang)) for node in reversed(path[1:])]
    return Chain(steps + [Step(iri, own_label)], path[-1] in national)


def _best_path(start: str, up: dict[str, list[tuple[int, str]]], goals: set[str]) -> list[str]:
    """The first path (supports first) that reaches a goal, else the longest one found."""
    longest = [start]
    stack = [[start]]
    while stack:
        path = stack.pop()
        if path[-1] in goals:
            return path
        if len(path) > len(longest):
            longest = path
        nexts = sorted(set(up.get(path[-1], [])), reverse=True)
        stack.extend(path + [b] for _, b in nexts if b not in path and len(path) < MAX_DEPTH)
    return longest
