"""Which graphs described what when a load began, so that a batch's validation asks the store
only about the subjects another graph may describe.

A batch is validated with what the store's other graphs say of its subjects. The load itself
puts all the statements of a subject in one batch, so what another graph says of it is what the
store held before the load began. Asking the store about every subject of every batch is one
lookup each, dearer as the load makes the store larger; this asks once, at the start, which
graphs describe the subjects under each plan (``Ownership.key``: one entry per plan, not per
subject), and answers from that. A plan some graph outside the batch described has its subjects
asked about as before: the answer then comes from the store, as it is at that batch.
"""

from collections import defaultdict
from collections.abc import Callable, Collection

import pyoxigraph as ox

from kgservice.store import Store, solutions

_DESCRIBED = (
    "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s) && ?g != ?left) }"
)


class Described:
    def __init__(self, store: Store, key: Callable[[str], str], left_out: str) -> None:
        """``left_out``: a graph no validation reads (``graph/derived``)."""
        self.key = key
        self.graphs: defaultdict[str, set[str]] = defaultdict(set)
        rows = solutions(store.query(_DESCRIBED, bindings={"left": ox.NamedNode(left_out)}))
        for row in rows:
            self.graphs[key(row["s"].value)].add(row["g"].value)

    def alone(self, replacing: Collection[str]) -> "Alone":
        """The IRIs that no graph but those in ``replacing`` described."""
        return Alone(self, frozenset(replacing))


class Alone:
    def __init__(self, described: Described, replacing: frozenset[str]) -> None:
        self.described = described
        self.replacing = replacing

    def __contains__(self, iri: object) -> bool:
        assert isinstance(iri, str)
        graphs = self.described.graphs.get(self.described.key(iri))
        return graphs is None or graphs <= self.replacing
