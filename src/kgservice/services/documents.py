"""RDF bodies of writes, parsed once into the triples that the count, the validator and the
commit all use.

The triples are held as a list of pyoxigraph triples: at 100,000 triples that takes about the
body's size again, where an ``ox.Dataset`` takes six times the body (docs/benchmarks/profiles.md).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.rdfinput import check_utf8, rdf_format, refuse_xml_declarations, syntax_error


@dataclass(frozen=True)
class RdfDocument:
    """One RDF document as it arrived, carrying one graph (triples only)."""

    data: bytes
    media_type: str


@dataclass(frozen=True)
class RdfBody:
    """A write's body, one document or several (multipart), not parsed until the writer is
    known to be allowed to write, so nobody else makes the service parse a large body."""

    documents: list[RdfDocument]

    def triples(self, *, base_iri: str) -> list[ox.Triple]:
        return [t for document in self.documents for t in parse_document(document, base_iri)]


def parse_document(document: RdfDocument, base_iri: str | None) -> list[ox.Triple]:
    """The document's triples; errors name the line and column, or the byte of bad UTF-8."""
    fmt = rdf_format(document.media_type)
    check_utf8(document.data)
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_declarations(document.data)
    try:
        return list(_triples(ox.parse(document.data, format=fmt, base_iri=base_iri)))
    except SyntaxError as error:
        raise syntax_error(error, fmt) from None


def _triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            raise BadRequest("a graph is written with triples only: no named graphs")
        yield quad.triple
