"""The linkage chain from a plan element up to the National Strategy, for the breadcrumb.

The upward links come from the named query ``linkage-chain``. Steps follow ``tp:supports`` before
``tp:partOf``: a local strategy is part of its local plan, but the chain a reader wants goes
through the provincial strategy it supports.
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice import namedqueries
from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.namespaces import TP
from kgservice.store import Store

# Labels in every language and the types of everything the chain can pass through.
STEPS = """
SELECT ?s ?x ?label ?type WHERE {
  ?s (tp:partOf|tp:supports)* ?x .
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x a ?type }
}
"""

NATIONAL_STRATEGY = ox.NamedNode(TP + "NationalStrategy")
SUPPORTS = TP + "supports"
MAX_DEPTH = 12


@dataclass(frozen=True)
class Step:
    iri: str
    label: str


@dataclass(frozen=True)
class Chain:
    steps: list[Step]  # top (the National Strategy) first, the element itself last
    reaches_national: bool


def linkage_chain(store: Store, queries_dir: Path, iri: str, lang: str) -> Chain:
    up: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for row in namedqueries.run(store, "linkage-chain", {"element": iri}, directory=queries_dir):
        preference = 0 if row["link"].value == SUPPORTS else 1  # type: ignore[index]
        up[row["from"].value].add((preference, row["step"].value))  # type: ignore[index]
    rows = select(store, STEPS, s=ox.NamedNode(iri))
    labels = LabelIndex()
    labels.add_rows(rows, "x", "label")
    national = {r["x"].value for r in rows if r.get("type") == NATIONAL_STRATEGY}
    path = _best_path(iri, up, national)
    return Chain([Step(n, labels.get(n, lang)) for n in reversed(path)], path[-1] in national)


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
