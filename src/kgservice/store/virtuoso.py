"""Virtuoso's SPARQL endpoint, where it departs from SPARQL 1.1 (``KGSERVICE_STORE_DIALECT=
virtuoso``); each departure is a row of the table in docs/deployment.md.

- Its default graph is always the union of every graph the endpoint's user may read (no URL
  parameter asks for it); ``scripts/virtuoso-setup.sql`` makes Virtuoso's own system graphs
  private. That union is a bag (a triple held in two graphs is two solutions), so the set
  union is kept in a graph of its own, which the texts sent read as the default graph and
  leave out of ``GRAPH ?g`` (``virtuoso_union``).
- It answers in the first media type of ``Accept`` whatever the kind of query, so each kind
  asks for one: results in XML, whose writer is several times faster than its JSON one; an ASK
  comes back as one row of ``__ASK_RETVAL``, turned into a boolean here; its blank nodes in
  results are ``nodeID://b1``, which is no blank node label, so results are read whole and the
  prefix taken off.
- Its syntax errors name a line but no column: the error sent on is the one SPARQL 1.1's
  grammar gives (Oxigraph's parser, on an empty store), where that grammar refuses the text too.
- A variable unbound on one side of a join joins nothing (SPARQL: it joins anything). A
  parameter written into a sub-query's patterns leaves that sub-query's projected variable
  unbound, so inside sub-queries parameters are bound by the outer ``VALUES`` alone.
- ``GRAPH ?g { }`` gives one row with ``?g`` unbound: the named graphs are those holding a
  triple (Virtuoso keeps no empty graphs anyway).
- Its SPARQL parser runs out of memory on an INSERT DATA of a few thousand triples: data goes in
  operations of 1,000 (``data_chunk``), and loads through its own bulk loader when it is set up
  (``virtuoso_bulk``), else its Graph Store endpoint (``/sparql-graph-crud`` beside ``/sparql``).
- It refuses an empty ``GRAPH <g> { }`` in an update: such groups are left out.
- A ``*`` path with one fixed end loses rows once joined with the patterns around it: such
  patterns are answered alone first (``virtuoso_closure``).
- ``INSERT DATA`` refuses blank nodes: an update holding one inserts through
  ``INSERT { ... } WHERE {}``, whose blank nodes are fresh for the request, as INSERT DATA's.
"""

import re
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from http.client import HTTPResponse
from itertools import groupby
from typing import IO
from urllib.parse import urlencode

import pyoxigraph as ox

from kgservice.errors import Forbidden, QuerySyntaxError
from kgservice.query import binding
from kgservice.query.binding import Term
from kgservice.query.prepare import PreparedQuery
from kgservice.query.text import Token, tokens
from kgservice.settings import Settings
from kgservice.store import union, virtuoso_closure, virtuoso_union
from kgservice.store.base import Dataset, QueryResult, solutions, syntax_error
from kgservice.store.remote import RemoteStore, parse_answer
from kgservice.store.virtuoso_bulk import VirtuosoBulkLoader

_ACCEPT = {
    "SELECT": "application/sparql-results+xml",
    "ASK": "application/sparql-results+xml",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}
_ASK = "__ASK_RETVAL"
_EMPTY_GROUP = re.compile(r"GRAPH\s*<[^>]*>\s*\{\s*\}", re.IGNORECASE)
# Without the FILTER, Virtuoso answers from its list of graphs, its private system graphs
# included (a fresh server's three); with it, from the triples the user may read.
_GRAPHS_HOLDING_TRIPLES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) }"
_BOOLEAN = '{{"head": {{}}, "boolean": {}}}'


class VirtuosoStore(RemoteStore):
    data_chunk = 1_000  # its parser runs out of memory past a few thousand in one INSERT DATA
    union_graph = virtuoso_union.COPY  # its default graph is its own union, a bag

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.graph_store_url = self.query_url.rsplit("/", 1)[0] + "/sparql-graph-crud"
        self.bulk_loader = _bulk_loader(settings)

    def load(self, data: bytes | IO[bytes], *, format: ox.RdfFormat, graph: str | None) -> None:
        quads = ox.parse(data, format=format)
        if graph is None:
            self.bulk_insert(quads)
        else:
            target = ox.NamedNode(graph)
            self.bulk_insert(ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)

    def bulk_insert(self, quads: Iterable[ox.Quad]) -> None:
        if self.bulk_loader is not None:
            self.bulk_loader.load(quads)
            return
        # Through its Graph Store endpoint, each graph's run of quads in one request (so its
        # blank nodes stay one node each): no SPARQL text to compile, and no limit on its size.
        # Then the graph is copied by SPARQL, which keeps its blank nodes (a second request of
        # the same text would make new ones).
        for graph, run in groupby(quads, key=lambda quad: quad.graph_name):
            body = ox.serialize([q.triple for q in run], format=ox.RdfFormat.N_TRIPLES)
            self._post(graph, body or b"")
            if isinstance(graph, ox.NamedNode):
                self.update(union.copy_of(graph.value))

    def bulk_batches(self) -> AbstractContextManager[None]:
        if self.bulk_loader is None:  # the Graph Store's way copies each graph's run by SPARQL
            return nullcontext()
        return self.bulk_loader.copy_at_end()

    def _post(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, body: bytes) -> None:
        where = (
            "default"
            if isinstance(graph, ox.DefaultGraph)
            else urlencode({"graph-uri": graph.value})
        )
        request = urllib.request.Request(
            f"{self.graph_store_url}?{where}",
            data=body,
            headers={"Content-Type": "application/n-triples"},
            method="POST",
        )
        self._send(lambda: urllib.request.urlopen(request, timeout=self.timeout_s)).close()

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, then: Sequence[str] = ()
    ) -> None:
        if virtuoso_union.COPY.value in graphs:  # an administrator may name any graph
            raise Forbidden(
                "กราฟนี้เป็นสำเนาของกราฟทั้งหมด บริการดูแลเอง / this graph is the union of the "
                "named graphs, which the service keeps itself",
                graph=virtuoso_union.COPY.value,
            )
        super().replace_graphs(graphs, then=then)

    def graph_names(self) -> list[ox.NamedNode]:
        return [row["g"] for row in solutions(self.query(_GRAPHS_HOLDING_TRIPLES))]

    def _bind(self, prepared: PreparedQuery, bindings: Mapping[str, Term] | None) -> str:
        if not bindings:
            return prepared.engine
        found = list(tokens(prepared.engine))
        sites = binding.sites(found, len(prepared.engine))
        inner = list(_sub_queries(found))
        outside = tuple(s for s in sites.slots if not any(a <= s.start < b for a, b in inner))
        return binding.bind(prepared.engine, replace(sites, slots=outside), bindings)

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        try:
            answered = virtuoso_closure.resolved(text, lambda alone: self._values(alone, dataset))
            return super()._evaluate(answered, dataset)
        except QuerySyntaxError as exc:
            raise _placed(exc, lambda: ox.Store().query(text)) from None

    def _query_text(self, text: str, dataset: Dataset) -> str:
        given = bool(dataset.default_graph or dataset.named_graphs)
        return super()._query_text(virtuoso_union.query(text, dataset_given=given), dataset)

    def _values(self, sparql: str, dataset: Dataset) -> Iterator[Term]:
        """The values of a SELECT of one variable."""
        for row in solutions(super()._evaluate(sparql, dataset)):
            if row[0] is not None:
                yield row[0]

    def _accept(self, text: str) -> str:
        form = next((t.text.upper() for t in tokens(text) if t.text.upper() in _ACCEPT), "SELECT")
        return _ACCEPT[form]

    def _read(self, response: HTTPResponse) -> QueryResult:
        if not response.headers.get("Content-Type", "").startswith(_ACCEPT["SELECT"]):
            return parse_answer(response)
        # Its blank nodes are "nodeID://b1", which no blank node label may be.
        body = response.read().replace(b"<bnode>nodeID://", b"<bnode>")
        result = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        return _boolean(result) if _asked(result) else result

    def update(self, sparql: str) -> None:
        sparql = virtuoso_union.update(sparql)
        if _EMPTY_GROUP.search(sparql):
            sparql = _without_empty_groups(sparql)
        if "_:" in sparql or "[" in sparql:
            sparql = _without_blank_node_data(sparql)
        try:
            super().update(sparql)
        except QuerySyntaxError as exc:
            raise _placed(exc, lambda: ox.Store().update(sparql)) from None


def _bulk_loader(settings: Settings) -> VirtuosoBulkLoader | None:
    if settings.virtuoso_bulk_dir is None:
        return None
    return VirtuosoBulkLoader(
        settings.virtuoso_bulk_dir,
        settings.virtuoso_sql_address,
        settings.virtuoso_dba_password,
        virtuoso_union.COPY,
    )


def _placed(error: QuerySyntaxError, parse: Callable[[], object]) -> QuerySyntaxError:
    """SPARQL 1.1's syntax error for what Virtuoso refused, or Virtuoso's own."""
    try:
        parse()
    except SyntaxError as exc:
        return syntax_error(str(exc))
    return error


def _sub_queries(found: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """Where each sub-query starts and ends."""
    depth, opened = 0, list[tuple[int, int]]()
    for token in found:
        if token.kind == "other" and token.text == "{":
            depth += 1
        elif token.kind == "other" and token.text == "}":
            if opened and opened[-1][1] == depth:
                yield opened.pop()[0], token.start
            depth -= 1
        elif _word(token, "SELECT") and depth > 0:
            opened.append((token.start, depth))


def _asked(result: QueryResult) -> bool:
    return isinstance(result, ox.QuerySolutions) and [v.value for v in result.variables] == [_ASK]


def _boolean(result: QueryResult) -> QueryResult:
    row = next(iter(solutions(result)), None)
    answer = row is not None and row[_ASK] is not None and row[_ASK].value != "0"
    return ox.parse_query_results(
        _BOOLEAN.format(str(answer).lower()), format=ox.QueryResultsFormat.JSON
    )


def _without_empty_groups(sparql: str) -> str:
    """``sparql`` less each ``GRAPH <iri> { }``."""
    found = list(tokens(sparql))
    pieces, done = [], 0
    for i in range(len(found) - 3):
        graph, iri, opening, closing = found[i : i + 4]
        if (
            _word(graph, "GRAPH")
            and iri.kind == "iri"
            and (opening.text, closing.text) == ("{", "}")
        ):
            pieces.append(sparql[done : graph.start])
            done = closing.start + 1
    return "".join(pieces) + sparql[done:]


def _without_blank_node_data(sparql: str) -> str:
    """``sparql`` with each ``INSERT DATA { ... }`` written ``INSERT { ... } WHERE {}``, one
    operation per graph (a template that writes several graphs fails, though its data goes in);
    the copy of the union takes the written graphs' statements from them, so that it holds
    their blank nodes, not new ones."""
    pieces, done = [], 0
    for insert, end, groups in _insert_data_blocks(sparql):
        pieces += [sparql[done:insert], " ;\n".join(_inserts(groups))]
        done = end
    return "".join(pieces) + sparql[done:]


def _inserts(groups: list[tuple[str, str]]) -> Iterator[str]:
    """For each (graph or "", statements) of an INSERT DATA: its operations."""
    named = [(graph, data) for graph, data in groups if graph != str(virtuoso_union.COPY)]
    for graph, data in named:
        yield (
            f"INSERT {{ GRAPH {graph} {{{data}}} }} WHERE {{}}"
            if graph
            else f"INSERT {{{data}}} WHERE {{}}"
        )
    if len(named) < len(groups):
        for graph, _ in named:
            copied = f"GRAPH {virtuoso_union.COPY} {{ ?s ?p ?o }}"
            yield f"INSERT {{ {copied} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


def _insert_data_blocks(sparql: str) -> Iterator[tuple[int, int, list[tuple[str, str]]]]:
    """For each INSERT DATA: where it starts and ends, and its statements graph by graph (""
    for those outside any GRAPH)."""
    found = list(tokens(sparql))
    for i in range(len(found) - 2):
        if _word(found[i], "INSERT") and _word(found[i + 1], "DATA"):
            end, groups = _data_groups(sparql, found, i + 2)
            yield found[i].start, end, groups


def _data_groups(
    sparql: str, found: Sequence[Token], opening: int
) -> tuple[int, list[tuple[str, str]]]:
    """Where the data block opening at ``found[opening]`` ends, and its graphs' statements."""
    groups, outside, depth, i = [], [], 0, opening
    while True:
        token = found[i]
        if _sign(token, "{") or _sign(token, "}"):
            depth += 1 if token.text == "{" else -1
            if depth == 0:
                break
        elif depth == 1 and _word(token, "GRAPH"):
            close = _closing(found, i + 2)
            groups.append((found[i + 1].text, sparql[found[i + 2].start + 1 : found[close].start]))
            i = close
        elif depth == 1:
            outside.append(sparql[token.start : found[i + 1].start])
        i += 1
    if "".join(outside).strip():
        groups.append(("", "".join(outside)))
    return token.start + 1, groups


def _closing(found: Sequence[Token], opening: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``opening``."""
    depth = 0
    for i in range(opening, len(found)):
        if _sign(found[i], "{") or _sign(found[i], "}"):
            depth += 1 if found[i].text == "{" else -1
            if depth == 0:
                return i
    raise ValueError("an INSERT DATA block is not closed")


def _sign(token: Token, text: str) -> bool:
    return token.kind == "other" and token.text == text


def _word(token: Token, word: str) -> bool:
    return token.kind == "word" and token.text.upper() == word
