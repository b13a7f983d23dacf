"""Serialise query results to a media type, batch by batch.

Graph results go through pyoxigraph's own writers: N-Triples and Turtle a batch of triples at a
time (their documents can be joined), JSON-LD and RDF/XML in one piece. Solutions are written
here, in batches, from the terms the engine returned: the rows were already fetched under the
row and time limits (``kgservice.query.execution``), which pyoxigraph's result writers, consuming
the engine's iterator in one call, cannot enforce.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring as _quote  # a JSON string, non-ASCII kept as is
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES
from kgservice.query.execution import Evaluated, Solutions

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XML_START = f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">'
_BATCH = 1000
Serialisable = Evaluated | Iterable[ox.Triple]
"""A fetched result, or any triples (a graph's content) to write as RDF."""
_Writer = Callable[[Solutions], Iterator[str]]
_Item = TypeVar("_Item")
_JOINABLE = {"text/turtle", "application/n-triples"}


def serialise(result: Serialisable, media_type: str) -> Iterator[bytes]:
    """The result as ``media_type`` (one of ``negotiation.RESULTS`` or ``GRAPHS``), in chunks."""
    if isinstance(result, bool):
        yield _boolean(result, media_type).encode()
    elif isinstance(result, Solutions):
        for chunk in _SOLUTION_WRITERS[media_type](result):
            yield chunk.encode()
    else:
        yield from _graph(result, media_type)


def _boolean(value: bool, media_type: str) -> str:
    text = "true" if value else "false"
    if "json" in media_type:
        return f'{{"head":{{}},"boolean":{text}}}'
    return f"{_XML_START}<head/><boolean>{text}</boolean></sparql>\n"


def small(result: Serialisable) -> bool:
    """Whether the result is written in well under a millisecond: on the event loop, in one
    piece, rather than streamed or handed to a thread."""
    return isinstance(result, bool) or _size(result) <= _BATCH


def _size(result: Solutions | Iterable[ox.Triple]) -> int:
    """Rows or triples already fetched; 0 for an iterator over the engine, which must be read
    whole here: pyoxigraph's iterators cannot move to the threads a stream is written from."""
    if isinstance(result, Solutions):
        return len(result.rows)
    return len(result) if isinstance(result, list) else 0


def _batches(items: Iterable[_Item]) -> Iterator[list[_Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


def _graph(triples: Iterable[ox.Triple], media_type: str) -> Iterator[bytes]:
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if media_type not in _JOINABLE:
        yield ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""
        return
    prefixes: dict[str, str] | None = PREFIXES  # declared once, at the top
    for batch in _batches(triples):
        yield ox.serialize(batch, format=rdf_format, prefixes=prefixes) or b""
        prefixes = None


# JSON (https://www.w3.org/TR/sparql11-results-json/), written as text: building a dict per
# term for json.dumps took twice as long.


def _json(result: Solutions) -> Iterator[str]:
    yield '{"head":{"vars":' + json.dumps(result.variables) + '},"results":{"bindings":['
    keys = [_quote(name) + ":" for name in result.variables]
    separator = ""
    for batch in _batches(result.rows):
        yield separator + ",".join(_json_row(keys, row) for row in batch)
        separator = ","
    yield "]}}"


def _json_row(keys: list[str], row: ox.QuerySolution) -> str:
    """``keys``: each variable's name as a JSON string and a colon."""
    bound = (k + _json_term(t) for k, t in zip(keys, row, strict=True) if t is not None)
    return "{" + ",".join(bound) + "}"


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _quote(term.value) + "}"
    if isinstance(term, ox.Literal):
        return _json_literal(term)
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _quote(term.value) + "}"
    parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
    value = ",".join(f'"{name}":{_json_term(part)}' for name, part in parts)
    return '{"type":"triple","value":{' + value + "}}"


def _json_literal(term: ox.Literal) -> str:
    text = '{"type":"literal","value":' + _quote(term.value)
    if term.language:
        return text + ',"xml:lang":' + _quote(term.language) + "}"
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return text + "}"
    return text + ',"datatype":' + _quote(datatype) + "}"


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
