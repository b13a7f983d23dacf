"""The graph a validation runs on: an in-memory store holding the submission in its named graphs
and, in a graph of its own, the part of the knowledge graph it links to (``add_context``). The
rules read the union of the named graphs.

A submission comes as statements (a write: graph names do not matter, all go in one graph) or as
the N-Quads text of a bulk load's batch, each statement in the graph it goes into, which the
engine reads itself: no Python object per statement. What the context walk starts from
(``Seeds``) is asked of the store by two queries, for either kind.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.store import Term
from kgservice.validation.context import RDF_TYPE, Seeds

SUBMISSION = ox.NamedNode("urn:kgservice:validation:submission")
"""The graph of a submission whose graph names do not matter."""
CONTEXT = ox.NamedNode("urn:kgservice:validation:context")

_SUBJECTS = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s) || isBlank(?s)) }"
_MENTIONED = (
    f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (isIRI(?o) && ?p != {RDF_TYPE}) "
    "FILTER NOT EXISTS { GRAPH ?h { ?o ?q ?r } } }"
)
"""IRIs the submission points at (classes excepted) that are not its own subjects."""


@dataclass
class Working:
    store: ox.Store
    seeds: Seeds
    """Taken before the context is added: the submission's own."""

    @classmethod
    def of_triples(cls, submission: Iterable[ox.Quad | ox.Triple]) -> "Working":
        triples = list(as_triples(submission))
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        store = ox.Store()
        if b"_:" in text:  # the engine names blank nodes anew: the report keeps the submission's
            store.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, SUBMISSION) for t in triples
            )
        else:  # parsed by the engine: no Python object per statement
            store.load(text, ox.RdfFormat.N_TRIPLES, to_graph=SUBMISSION)
        return cls(store, seeds_of_triples(triples))

    @classmethod
    def of_nquads(cls, text: bytes) -> "Working":
        """A batch of N-Quads in which every statement names its graph."""
        store = ox.Store()
        if b"_:" in text:  # the engine names blank nodes anew: the report keeps the file's labels
            store.bulk_extend(ox.parse(text, ox.RdfFormat.N_QUADS, lenient=True))
        else:
            store.load(text, ox.RdfFormat.N_QUADS, lenient=True)
        return cls(store, seeds_of(store))

    def add_context(self, triples: Iterable[ox.Triple]) -> None:
        """What the submission states already is left out: the union holds it once."""
        new = [ox.Quad(t.subject, t.predicate, t.object, CONTEXT) for t in triples]
        self.store.bulk_extend([q for q in new if not self._holds(q)])

    def _holds(self, q: ox.Quad) -> bool:
        found = self.store.quads_for_pattern(q.subject, q.predicate, q.object)
        return next(found, None) is not None

    def graphs_of(self, node: Term) -> set[str]:
        """The submission's graphs that hold statements about ``node``."""
        if isinstance(node, ox.Literal):
            return set()
        graphs = {q.graph_name for q in self.store.quads_for_pattern(node, None, None)}
        return {g.value for g in graphs if isinstance(g, ox.NamedNode) and g != CONTEXT}

    def statements(
        self, graphs: Iterable[str], predicate: ox.NamedNode | None = None
    ) -> Iterator[ox.Quad]:
        """The submission's statements in ``graphs`` (with ``predicate`` only, if given)."""
        for graph in graphs:
            yield from self.store.quads_for_pattern(None, predicate, None, ox.NamedNode(graph))

    def graphs(self) -> set[str]:
        """The submission's graphs."""
        return {g.value for g in self.store.named_graphs() if g != CONTEXT}


def seeds_of(store: ox.Store) -> Seeds:
    subjects = {row[0] for row in _rows(store, _SUBJECTS)}
    mentioned = {row[0] for row in _rows(store, _MENTIONED)}
    return Seeds(subjects, mentioned)


def seeds_of_triples(triples: Iterable[ox.Triple]) -> Seeds:
    """What ``seeds_of`` asks of a store holding ``triples``, read from them directly."""
    subjects: set[Term] = set()
    objects: set[ox.NamedNode] = set()
    for t in triples:
        if isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            subjects.add(t.subject)
        if isinstance(t.object, ox.NamedNode) and t.predicate != RDF_TYPE:
            objects.add(t.object)
    return Seeds(subjects, {o for o in objects if o not in subjects})


def _rows(store: ox.Store, query: str) -> ox.QuerySolutions:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def as_triples(submission: Iterable[ox.Quad | ox.Triple]) -> Iterable[ox.Triple]:
    return (q.triple if isinstance(q, ox.Quad) else q for q in submission)
