"""A backend for any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso).

Queries go through SPARQLWrapper and come back as pyoxigraph result objects, parsed as they
stream in; writes are SPARQL Updates. Each ``replace_graphs`` is one update request, which the
common servers run as one transaction.

The default graph is the store's real default graph, which holds the union of the named graphs
(``kgservice.store.union``, in the same update texts as on the embedded store): do not make the
server's default graph the union in its own configuration (Fuseki's ``tdb2:unionDefaultGraph``,
``oxigraph serve``'s ``union-default-graph``: both count a triple once per graph that holds it).

Time limits: the call ends when nothing has come for the query's time limit, and rows that keep
coming are cut at the limit as they are read. The server's own limit is worth setting too
(``oxigraph serve --timeout-s``): Oxigraph then cancels a query, though not inside a sort, and
gives its memory back.
"""

import ast
import functools
import http.client
import math
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from http.client import HTTPResponse
from typing import IO
from urllib.parse import urlencode

import pyoxigraph as ox
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kgservice.errors import QueryTimeout, StoreUnavailable
from kgservice.settings import Settings
from kgservice.store import machine_reads, sharing, union
from kgservice.store.base import Dataset, QueryResult, Store, solutions, syntax_error, triples
from kgservice.store.remote_connection import KeptConnection
from kgservice.store.replacement import replacement_update

ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples, text/turtle;q=0.9"
)
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_ONE_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_FORM = "application/x-www-form-urlencoded"


class RemoteStore(Store):
    data_chunk: int | None = None
    """Statements per INSERT DATA operation (None: all in one)."""
    sole_writer = True  # every service process's writes change the version in the store
    version_asks_the_store = True

    def __init__(self, settings: Settings) -> None:
        if not settings.remote_query_url:
            raise StoreUnavailable("ต้องตั้งค่า KGSERVICE_REMOTE_QUERY_URL (no remote query URL set)")
        self.query_url = settings.remote_query_url
        self.update_url = settings.remote_update_url or settings.remote_query_url
        self.timeout_s = settings.query_timeout_s
        self.location = self.query_url
        self.base_iri = settings.base_iri
        self._token: str | None = None
        self._kept = KeptConnection(self.query_url, self.timeout_s)
        self._token_reads = machine_reads.version_reads(
            self._version_token,
            self.query_url,
            tolerance_s=settings.remote_version_tolerance_ms / 1000,
        )
        self._version = 0
        self._version_lock = threading.Lock()

    @property
    def version(self) -> int:  # type: ignore[override]  # read from the store, never set
        """Goes up each time the store's version token is seen to have changed."""
        token = self._token_reads()
        with self._version_lock:
            if token != self._token:
                self._token, self._version = token, self._version + 1
            return self._version

    @functools.cached_property
    def _version_query(self) -> str:
        """The version token's query as this engine is sent it."""
        return self._query_text(sharing.version_query(self.base_iri), Dataset())

    def _version_token(self) -> str | None:
        """The store's version token, read on the connection kept open for it: the read most
        often made, for every kept answer's freshness (``store.remote_connection``)."""
        text = self._version_query
        headers = {"Accept": self._accept(text), "Content-Type": _FORM}
        try:
            answer = self._kept.post(urlencode({"query": text}).encode(), headers)
        except (OSError, http.client.HTTPException) as exc:
            raise self._unavailable(exc) from None
        if answer.status != 200 or answer.media_type not in _RESULTS:
            said = answer.body[:500].decode("utf-8", "replace")
            raise self._unavailable(RuntimeError(f"{answer.status} {answer.media_type}: {said}"))
        return sharing.token(ox.parse_query_results(answer.body, _RESULTS[answer.media_type]))

    def exclusive_writes(self) -> AbstractContextManager[None]:
        return sharing.writer_turn(self, self.base_iri)

    def version_change(self) -> list[str]:
        return [sharing.version_change(self.base_iri)]

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=xml parameter beside Accept: Virtuoso answers 406
        # No byte for the whole time limit (a server sorting or counting) ends the call then;
        # rows that keep coming are cut at the limit by whoever reads them (query.execution).
        wrapper.setTimeout(math.ceil(self.timeout_s))
        wrapper.setQuery(self._query_text(text, dataset))
        wrapper.addCustomHttpHeader("Accept", self._accept(text))
        for graph in dataset.default_graph or ():
            wrapper.addParameter("default-graph-uri", graph)
        for graph in dataset.named_graphs or ():
            wrapper.addParameter("named-graph-uri", graph)
        return self._read(self._send(wrapper.query))

    def _query_text(self, text: str, dataset: Dataset) -> str:
        """What is sent for ``text``: the base IRI goes on the first line, so error positions
        keep their line numbers."""
        if dataset.base_iri:
            return f"BASE {ox.NamedNode(dataset.base_iri)} {text}"
        return text

    def _accept(self, text: str) -> str:
        """The ``Accept`` header for ``text``."""
        return ACCEPT

    def _read(self, response: HTTPResponse) -> QueryResult:
        """The engine's answer as a result object."""
        return parse_answer(response)

    def update(self, sparql: str) -> None:
        request = urllib.request.Request(
            self.update_url,
            data=sparql.encode(),
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        try:
            self._send(lambda: urllib.request.urlopen(request, timeout=self.timeout_s)).close()
        finally:  # this process's own write is seen at once, whatever the tolerance
            self._token_reads.outdate()

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, then: Sequence[str] = ()
    ) -> None:
        self.update("".join(replacement_update(graphs, then, chunk=self.data_chunk)))

    def insert(self, quads: Iterable[ox.Quad]) -> None:
        self.update(_insert_quads(union.with_copies(quads, self.union_graph), self.data_chunk))

    def graph_triples(self, graph: str) -> list[ox.Triple]:
        return list(triples(self.query(_ONE_GRAPH, bindings={"g": ox.NamedNode(graph)})))

    def graphs(self) -> dict[str, int]:
        rows = solutions(self.query(_GRAPH_SIZES))
        return {row["g"].value: int(row["n"].value) for row in rows}

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat, graph: str | None = None) -> None:
        if graph is not None:
            found = self.query(_ONE_GRAPH, bindings={"g": ox.NamedNode(graph)})
            ox.serialize(triples(found), output, format=format)
        elif format.supports_datasets:
            ox.serialize(_quads(self.query(_ALL_QUADS)), output, format=format)
        else:
            raise ValueError(f"{format.name} holds one graph: name the graph to dump")

    def _send(self, call: Callable[[], object]) -> HTTPResponse:
        try:
            return _unwrap(call())
        except QueryBadFormed as exc:
            raise syntax_error(_server_message(exc)) from None
        except urllib.error.HTTPError as exc:
            if exc.code == 400:
                raise syntax_error(exc.read().decode("utf-8", "replace")) from None
            raise self._unavailable(exc) from None
        except (OSError, SPARQLWrapperException) as exc:
            if _timed_out(exc):  # nothing came for the time limit: the query's, not the store's
                raise QueryTimeout.after(self.timeout_s) from None
            raise self._unavailable(exc) from None

    def close(self) -> None:
        self._kept.close()

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"ติดต่อคลังข้อมูลไม่ได้ (the store at {self.location} is unavailable): {exc}",
            store=self.location,
        )


def _server_message(exc: SPARQLWrapperException) -> str:
    """SPARQLWrapper keeps the server's answer only as a ``repr`` inside its message."""
    text = str(exc)
    raw = text.partition("Response:\n")[2]
    try:
        body = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return text
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else text


def _timed_out(error: Exception) -> bool:
    """urllib raises the socket's time-out as it is, or inside a URLError."""
    return isinstance(error, TimeoutError) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )


def _unwrap(outcome: object) -> HTTPResponse:
    """SPARQLWrapper wraps the HTTP response; urllib returns it as it is."""
    response = getattr(outcome, "response", outcome)
    if not isinstance(response, HTTPResponse):
        raise TypeError(f"not an HTTP response: {response!r}")
    return response


def parse_answer(response: HTTPResponse) -> QueryResult:
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media_type in _RESULTS:
        return ox.parse_query_results(response, format=_RESULTS[media_type])
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise StoreUnavailable(f"the remote store answered with {media_type or 'no media type'}")
    # Through a small in-memory store, so a graph result is a real QueryTriples too.
    graph = ox.Store()
    graph.load(response, format=rdf_format)
    return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _quads(result: QueryResult) -> Iterator[ox.Quad]:
    for row in solutions(result):
        yield ox.Quad(row["s"], row["p"], row["o"], row["g"])


def _insert_quads(quads: Iterable[ox.Quad], chunk: int | None) -> str:
    pieces = ["INSERT DATA {\n"]
    for n, quad in enumerate(quads):
        if chunk and n and n % chunk == 0:
            pieces.append("}\n;\nINSERT DATA {\n")
        pieces.append(_quad_data(quad))
    return "".join(pieces) + "}"


def _quad_data(quad: ox.Quad) -> str:
    triple = f"{quad.subject} {quad.predicate} {quad.object} ."
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return triple + "\n"
    return f"GRAPH {quad.graph_name} {{ {triple} }}\n"
