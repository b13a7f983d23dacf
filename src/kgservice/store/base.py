"""The small interface every store backend implements.

Results are pyoxigraph result objects (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``)
whatever the backend, so serialisation and the routers do not care where the data lives.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from typing import IO

import pyoxigraph as ox

from kgservice.errors import QuerySyntaxError
from kgservice.query.binding import Term
from kgservice.query.prepare import PreparedQuery, prepare
from kgservice.store import union

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
BULK_BATCH = 100_000
NAMED_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { } }"


@dataclass(frozen=True)
class Dataset:
    """The dataset a query runs on, as the store is told it: without graphs of its own (from
    the protocol or FROM), the store's default graph, which is the union of all named graphs
    (``kgservice.store.union``)."""

    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    base_iri: str | None = None
    """Resolves relative IRIs in the query (the endpoint's own IRI, for the SPARQL protocol)."""


class Store(ABC):
    """A quad store that answers SPARQL over the union of its named graphs, kept as its default
    graph: every write through it keeps that copy exact (``kgservice.store.union``)."""

    location: str
    """Where the data lives, for people: a directory, ``memory`` or an endpoint URL."""

    version = 0
    """Goes up after every write through this object."""
    union_graph: union.Copy = union.DEFAULT_GRAPH
    """Where the store keeps the set union of its named graphs (``kgservice.store.union``): its
    default graph, or a graph of its own where the engine's default graph is its own union."""
    version_asks_the_store = False
    """Whether reading ``version`` is a request to the store (a remote store shared by service
    processes): read it off the event loop, where readers at once share one request
    (``store/version_reads.py``)."""
    sole_writer = False
    """Whether an unchanged ``version`` means unchanged data: every write goes through this
    object (an embedded store locks its directory), or every writer changes the version in the
    store itself (a remote store shared by service processes, ``store/sharing.py``)."""

    def query(
        self,
        query: PreparedQuery | str,
        *,
        bindings: Mapping[str, Term] | None = None,
        dataset: Dataset | None = None,
    ) -> QueryResult:
        """Run a query: a prepared one (its engine text, whose final ORDER BY is the caller's to
        do, as ``execution.evaluate`` does) or a text, run as written.

        ``bindings`` binds variables to terms (``kgservice.query.binding``). Without a
        ``dataset`` (the protocol's graphs and base IRI) the default graph is the union of all
        graphs, unless the query names its own with FROM.
        """
        prepared = prepare(query, engine_sorts=True) if isinstance(query, str) else query
        return self._evaluate(self._bind(prepared, bindings), dataset or Dataset())

    def _bind(self, prepared: PreparedQuery, bindings: Mapping[str, Term] | None) -> str:
        """The engine text with ``bindings`` written in."""
        return prepared.bound(bindings)

    @abstractmethod
    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        """Run ``text`` on ``dataset``."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update as one transaction. A text that changes a named graph must
        change the default graph's copy of the union with it (``kgservice.store.union``)."""

    def load(self, data: bytes | IO[bytes], *, format: ox.RdfFormat, graph: str | None) -> None:
        """Add RDF to ``graph`` (a quad format keeps its own graphs when ``graph`` is None), in
        one transaction."""
        target = ox.NamedNode(graph) if graph else None
        quads = ox.parse(data, format=format, rename_blank_nodes=True)
        self.insert(
            ox.Quad(q.subject, q.predicate, q.object, target or q.graph_name) for q in quads
        )

    @abstractmethod
    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, then: Sequence[str] = ()
    ) -> None:
        """Replace the content of each named graph, then run the update operations ``then``
        (without a prologue: full IRIs), all in one transaction.

        The graph a quad names is ignored: each goes into the graph it is listed under.
        """

    @abstractmethod
    def insert(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads, each to the (named) graph it names and to the default graph, in one
        transaction."""

    @abstractmethod
    def graph_triples(self, graph: str) -> list[ox.Triple]:
        """What a named graph holds (nothing for a graph that does not exist)."""

    def bulk_insert(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads fast, each to the graph it names and to the default graph. Not one
        transaction: a load stopped half-way leaves part of it. For graphs being filled from
        scratch (a first load, rebuilt derived data); this default sends them in batches of
        ordinary inserts."""
        statements = iter(quads)
        while batch := list(islice(statements, BULK_BATCH)):
            self.insert(batch)

    def bulk_batches(self) -> AbstractContextManager[None]:
        """Around many ``bulk_insert`` calls that fill graphs nothing reads meanwhile (the
        derived data rebuilt a share at a time): a store may complete the default graph's copy
        of the union once, when the block ends, instead of after each batch; until then the
        copy may lack the batches. Nothing to do for a store that copies as it inserts."""
        return nullcontext()

    def bulk_insert_nquads(self, data: bytes) -> None:
        """``bulk_insert`` of N-Quads text in which every statement names its graph (a bulk
        load's spooled batch); blank node labels name the same node throughout the text."""
        self.bulk_insert(ox.parse(data, ox.RdfFormat.N_QUADS, lenient=True))

    def copy_union(self) -> None:
        """Make the default graph the union of the named graphs (``union.ensure``): here in one
        update, so a copy stopped half-way is not there at all."""
        self.update(f"{union.STRAYS} ;\n{union.COPY}")

    def union_owed(self) -> bool:
        """Whether a bulk insert stopped half-way, leaving the default graph to be put right."""
        return False

    def graph_names(self) -> list[ox.NamedNode]:
        """The named graphs, without counting what they hold."""
        return [row["g"] for row in solutions(self.query(NAMED_GRAPHS))]

    @abstractmethod
    def graphs(self) -> dict[str, int]:
        """Named graph IRI -> number of triples."""

    @abstractmethod
    def dump(self, output: IO[bytes], *, format: ox.RdfFormat, graph: str | None = None) -> None:
        """Write one graph, or the whole dataset in a quad format."""

    def content_token(self) -> str | None:
        """A token that names the store's content for as long as nothing changes it, read from
        the store itself (None: none, or this backend keeps none; see ``seal``)."""
        return None

    def seal(self, version: int) -> str | None:
        """A new ``content_token`` for the content as it is at ``version``, if the store is
        still there and no change is under way (None otherwise, or if this backend keeps none):
        answers saved under it can be trusted by a later process only while it stands."""
        return None

    def exclusive_writes(self) -> AbstractContextManager[None]:
        """One writer at a time among all the processes that write this store: nothing to do
        for a store only this object writes."""
        return nullcontext()

    def version_change(self) -> list[str]:
        """The update operations a write ends with, so that other processes see the change."""
        return []

    def compact(self) -> None:  # noqa: B027 - most backends keep their own files in order
        """After a bulk load: start putting the store's files in order for reading, in the
        background; ``close`` waits for it to finish."""

    def close(self) -> None:  # noqa: B027 - backends without resources need not override
        """Release the backend's resources."""


def solutions(result: QueryResult) -> ox.QuerySolutions:
    """The rows of a SELECT result (``TypeError`` for any other kind of result)."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected the solutions of a SELECT query")
    return result


def triples(result: QueryResult) -> ox.QueryTriples:
    """The triples of a CONSTRUCT or DESCRIBE result (``TypeError`` for any other kind)."""
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("expected the triples of a CONSTRUCT or DESCRIBE query")
    return result


def syntax_error(message: str) -> QuerySyntaxError:
    """Oxigraph says ``error at LINE:COLUMN: ...``; keep the position for the client."""
    line, column = _position(message)
    return QuerySyntaxError(
        f"คำค้นผิดไวยากรณ์ (SPARQL syntax error): {message}", line=line, column=column
    )


def _position(message: str) -> tuple[int | None, int | None]:
    head = message.removeprefix("error at ").split(":", 2)
    if len(head) == 3 and head[0].isdigit() and head[1].isdigit():
        return int(head[0]), int(head[1])
    return None, None
