"""Serialise query results to a media type, row batch by row batch.

Graph results go through pyoxigraph's own writers. Solutions are written here, in batches, from
the terms the engine returned: the rows were already fetched under the row and time limits
(``kgservice.execution``), which pyoxigraph's result writers, consuming the engine's iterator in
one call, cannot enforce.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kgservice.execution import Evaluated, Limits, Solutions, evaluate
from kgservice.namespaces import PREFIXES
from kgservice.negotiation import GRAPHS, RESULTS, choose
from kgservice.store import QueryResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XML_START = f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">'
_BATCH = 1000
_Writer = Callable[[Solutions], Iterator[str]]


def serialise(result: Evaluated, media_type: str) -> Iterator[bytes]:
    """The result as ``media_type`` (one of ``negotiation.RESULTS`` or ``GRAPHS``), in chunks."""
    if isinstance(result, bool):
        yield _boolean(result, media_type).encode()
    elif isinstance(result, Solutions):
        for chunk in _SOLUTION_WRITERS[media_type](result):
            yield chunk.encode()
    else:
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        yield ox.serialize(result, format=rdf_format, prefixes=PREFIXES) or b""


def response(result: Evaluated, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A response with the serialised result; streamed when the result is big."""
    if isinstance(result, Solutions) and len(result.rows) > _BATCH:
        return StreamingResponse(
            serialise(result, media_type), media_type=media_type, headers=headers
        )
    body = b"".join(serialise(result, media_type))
    return Response(body, media_type=media_type, headers=headers)


async def answer(
    request: Request,
    run: Callable[[], QueryResult],
    *,
    format: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Run a query under the app's limits and answer in the media type the client prefers.

    ``run`` starts the query, e.g. ``lambda: store.query(text, substitutions=...)``.
    """
    result = await evaluate(run, Limits.of(request.app.state.settings))
    accept = request.headers.get("accept")
    return response(result, choose(accept, offered_for(result), format=format), headers)


def offered_for(result: Evaluated) -> Sequence[str]:
    """The media types a result can be written in, the default first."""
    if isinstance(result, bool):  # CSV and TSV have no form for a boolean
        return [m for m in RESULTS if m not in {"text/csv", "text/tab-separated-values"}]
    return RESULTS if isinstance(result, Solutions) else GRAPHS


def _boolean(value: bool, media_type: str) -> str:
    text = "true" if value else "false"
    if "json" in media_type:
        return f'{{"head":{{}},"boolean":{text}}}'
    return f"{_XML_START}<head/><boolean>{text}</boolean></sparql>\n"


def _batches(rows: list[ox.QuerySolution]) -> Iterator[list[ox.QuerySolution]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


# JSON (https://www.w3.org/TR/sparql11-results-json/)


def _json(result: Solutions) -> Iterator[str]:
    yield '{"head":{"vars":' + json.dumps(result.variables) + '},"results":{"bindings":['
    names = result.variables
    separator = ""
    for batch in _batches(result.rows):
        bindings = [
            {
                name: _json_term(term)
                for name, term in zip(names, row, strict=True)
                if term is not None
            }
            for row in batch
        ]
        yield separator + json.dumps(bindings, ensure_ascii=False, separators=(",", ":"))[1:-1]
        separator = ","
    yield "]}}"


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        return _json_literal(term)
    parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
    return {"type": "triple", "value": {k: _json_term(v) for k, v in parts.items()}}


def _json_literal(term: ox.Literal) -> dict[str, object]:
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value == XSD_STRING:
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


# XML (https://www.w3.org/TR/rdf-sparql-XMLres/)


def _xml(result: Solutions) -> Iterator[str]:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in result.variables)
    yield f"{_XML_START}<head>{head}</head><results>\n"
    names = [quoteattr(name) for name in result.variables]
    for batch in _batches(result.rows):
        yield "".join(_xml_row(names, row) for row in batch)
    yield "</results></sparql>\n"


def _xml_row(names: list[str], row: ox.QuerySolution) -> str:
    bindings = "".join(
        f"<binding name={name}>{_xml_term(term)}</binding>"
        for name, term in zip(names, row, strict=True)
        if term is not None
    )
    return f"<result>{bindings}</result>\n"


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value == XSD_STRING:
            return f"<literal>{escape(term.value)}</literal>"
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


# CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/)


def _csv(result: Solutions) -> Iterator[str]:
    yield ",".join(_csv_field(name) for name in result.variables) + "\r\n"
    for batch in _batches(result.rows):
        yield "".join(",".join(_csv_field(_csv_value(t)) for t in row) + "\r\n" for row in batch)


def _csv_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _tsv(result: Solutions) -> Iterator[str]:
    yield "\t".join(f"?{name}" for name in result.variables) + "\n"
    for batch in _batches(result.rows):
        yield "".join("\t".join("" if t is None else str(t) for t in row) + "\n" for row in batch)


_SOLUTION_WRITERS: dict[str, _Writer] = {
    "application/sparql-results+json": _json,
    "application/json": _json,
    "application/sparql-results+xml": _xml,
    "application/xml": _xml,
    "text/csv": _csv,
    "text/tab-separated-values": _tsv,
}
