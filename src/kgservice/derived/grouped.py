"""The whole derived graph computed and written a group of graphs at a time.

A country's facts held at once are gigabytes of Python objects (every element's links, budgets
and title). A group of graphs' facts, with the plans above them that their elements reach, are a
bounded share of that: each group is derived as a write's graphs are (``read_facts`` of some
graphs; title twins in other partitions read from the derived graph written so far, the later
partitions finding the pair from their side), and the province roll-ups, which join every
organisation, are computed last from the figures the groups leave (``Figures``).

The groups follow the order of the organisations' areas, so that a group's local governments
mostly lie in one province and read the same plans above them; the order changes what a group
reads, never what is derived.
"""

from collections.abc import Callable, Iterator, Sequence
from functools import partial

import pyoxigraph as ox

from kgservice.derived.compute import Candidate, Figures, Sink, derive
from kgservice.derived.facts import GraphFacts
from kgservice.namespaces import TP
from kgservice.store import Store, solutions

GROUP_GRAPHS = 1000
"""Graphs derived at a time: a few provinces' local governments, about a million statements."""

GroupTitles = Callable[[Sequence[str], set[str]], dict[str, list[Candidate]]]
"""The projects outside some graphs' partitions with one of some normalised titles."""


def derive_all(
    store: Store, base: str, derived: str, facts: GraphFacts | None, *, outside: GroupTitles
) -> None:
    """Write the whole derived graph into ``derived`` (left empty by the caller). ``facts``:
    those of every graph, when the caller gathered them (they are then derived at once)."""
    sink = writer(store, derived)
    graphs = [] if facts is not None else _ordered_graphs(store, derived)
    if len(graphs) <= GROUP_GRAPHS:
        derive(store, base, None, outside=lambda keys: {}, facts=facts, sink=sink)
        return
    figures = Figures()
    for group in _groups(graphs):
        derive(store, base, group, outside=partial(outside, group), sink=sink, figures=figures)
    sink(figures.rollups(base))


def writer(store: Store, graph: str) -> Sink:
    """A sink that hands derived triples to the bulk loader as N-Quads text: the loader parses
    it without a Python object per quad and the store copies it into the union as text."""
    name = str(ox.NamedNode(graph))

    def write(triples: set[ox.Triple]) -> None:
        store.bulk_insert_nquads("".join(f"{t} {name} .\n" for t in triples).encode())

    return write


def _ordered_graphs(store: Store, derived: str) -> list[str]:
    """Every named graph but ``derived``: those of organisations with a jurisdiction in the
    order of its area, then the others by name."""
    areas = {row["g"].value: row["area"].value for row in solutions(store.query(_JURISDICTIONS))}
    names = [row["g"].value for row in solutions(store.query(_GRAPHS)) if row["g"].value != derived]
    return sorted(names, key=lambda g: (g not in areas, areas.get(g, ""), g))


def _groups(graphs: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(graphs), GROUP_GRAPHS):
        yield graphs[start : start + GROUP_GRAPHS]


_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { } }"
_JURISDICTIONS = f"SELECT ?g ?area WHERE {{ GRAPH ?g {{ ?o <{TP}jurisdiction> ?area }} }}"
