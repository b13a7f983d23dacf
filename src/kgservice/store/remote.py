"""A backend for any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso).

Queries go through SPARQLWrapper and come back as pyoxigraph result objects, parsed as they
stream in; writes are SPARQL Updates. Each ``replace_graphs`` is one update request, which the
common servers run as one transaction.

The default graph is the store's real default graph, which holds the union of the named graphs
(``kgservice.store.union``, in the same update texts as on the embedded store): do not make the
server's default graph the union in its own configuration (Fuseki's ``tdb2:unionDefaultGraph``).
"""

import ast
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from http.client import HTTPResponse
from typing import IO

import pyoxigraph as ox
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from kgservice.errors import StoreUnavailable
from kgservice.settings import Settings
from kgservice.store import union
from kgservice.store.base import Dataset, QueryResult, Store, solutions, syntax_error, triples
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


class RemoteStore(Store):
    def __init__(self, settings: Settings) -> None:
        if not settings.remote_query_url:
            raise StoreUnavailable("ต้องตั้งค่า KGSERVICE_REMOTE_QUERY_URL (no remote query URL set)")
        self.query_url = settings.remote_query_url
        self.update_url = settings.remote_update_url or settings.remote_query_url
        self.timeout_s = settings.query_timeout_s
        self.location = self.query_url

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        if dataset.base_iri:  # on the first line, so error positions keep their line numbers
            text = f"BASE {ox.NamedNode(dataset.base_iri)} {text}"
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setTimeout(int(self.timeout_s) + 1)
        wrapper.setQuery(text)
        wrapper.addCustomHttpHeader("Accept", ACCEPT)
        for graph in dataset.default_graph or ():
            wrapper.addParameter("default-graph-uri", graph)
        for graph in dataset.named_graphs or ():
            wrapper.addParameter("named-graph-uri", graph)
        return _parse(self._send(wrapper.query))

    def update(self, sparql: str) -> None:
        request = urllib.request.Request(
            self.update_url,
            data=sparql.encode(),
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        self._send(lambda: urllib.request.urlopen(request, timeout=self.timeout_s)).close()

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, then: Sequence[str] = ()
    ) -> None:
        self.update("".join(replacement_update(graphs, then)))

    def insert(self, quads: Iterable[ox.Quad]) -> None:
        self.update(_insert_quads(union.with_copies(quads)))

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
            raise self._unavailable(exc) from None

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


def _unwrap(outcome: object) -> HTTPResponse:
    """SPARQLWrapper wraps the HTTP response; urllib returns it as it is."""
    response = getattr(outcome, "response", outcome)
    if not isinstance(response, HTTPResponse):
        raise TypeError(f"not an HTTP response: {response!r}")
    return response


def _parse(response: HTTPResponse) -> QueryResult:
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


def _insert_quads(quads: Iterable[ox.Quad]) -> str:
    return "INSERT DATA {\n" + "".join(_quad_data(q) for q in quads) + "}"


def _quad_data(quad: ox.Quad) -> str:
    triple = f"{quad.subject} {quad.predicate} {quad.object} ."
    if isinstance(quad.graph_name, ox.DefaultGraph):
        return triple + "\n"
    return f"GRAPH {quad.graph_name} {{ {triple} }}\n"
