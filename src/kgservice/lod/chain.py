"""The linkage chain from a plan element up to the National Strategy, for the breadcrumb.

Steps follow ``tp:supports`` before ``tp:partOf``: a local strategy is part of its local plan, but
the chain a reader wants goes through the provincial strategy it supports. The named query
``linkage-chain`` answers the same question with levels for every step, but its joins take seconds
on a million triples; a page needs only the links and the labels, anchored on the element.
"""

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex, Linked
from kgservice.lod.sparql import select
from kgservice.namespaces import TP
from kgservice.store import Store

# Everything reachable upward from the element: its links up, its labels (all languages) and
# types. The path comes first and the rest is OPTIONAL, so the engine starts from the element.
UPWARD = """
SELECT ?s ?x ?up ?whole WHERE {
  ?s (tp:partOf|tp:supports)* ?x .
  OPTIONAL { ?x tp:supports ?up }
  OPTIONAL { ?x tp:partOf ?whole }
}
"""
STEPS = """
SELECT ?s ?x ?label ?type WHERE {
  ?s (tp:partOf|tp:supports)* ?x .
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x a ?type }
}
"""

NATIONAL_STRATEGY = ox.NamedNode(TP + "NationalStrategy")
MAX_DEPTH = 12


@dataclass(frozen=True)
class Chain:
    steps: list[Linked]  # top (the National Strategy) first, the element itself last
    reaches_national: bool


def linkage_chain(store: Store, iri: str, lang: str) -> Chain:
    up: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for row in select(store, UPWARD, s=ox.NamedNode(iri)):
        for preference, key in ((0, "up"), (1, "whole")):
            if key in row:
                up[row["x"].value].add((preference, row[key].value))
    steps = select(store, STEPS, s=ox.NamedNode(iri))
    labels = LabelIndex.of(steps, ("x", "label"))
    national = {r["x"].value for r in steps if r.get("type") == NATIONAL_STRATEGY}
    path = _best_path(iri, up, national)
    return Chain([Linked(n, labels.get(n, lang)) for n in reversed(path)], path[-1] in national)


def _best_path(start: str, up: dict[str, set[tuple[int, str]]], goals: set[str]) -> list[str]:
    """The first path (supports first) that reaches a goal, else the longest one found."""
    longest = [start]
    stack = [[start]]
    while stack:
        path = stack.pop()
        if path[-1] in goals:
            return path
        if len(path) > len(longest):
            longest = path
        nexts = sorted(up.get(path[-1], ()), reverse=True)
        stack.extend(path + [b] for _, b in nexts if b not in path and len(path) < MAX_DEPTH)
    return longest
