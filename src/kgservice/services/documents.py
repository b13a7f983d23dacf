"""RDF bodies of writes, parsed once into the triples that the count, the validator and the
commit all use.

The triples are held as a list of pyoxigraph triples: at 100,000 triples that takes about the
body's size again, where an ``ox.Dataset`` takes six times the body (docs/benchmarks/profiles.md).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.rdfinput import NO_LIMITS, BodyLimits, Tally, read_quads


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
    limits: BodyLimits = field(default=NO_LIMITS)
    """Triples and blank nodes count over all the documents together."""

    def triples(self, *, base_iri: str) -> list[ox.Triple]:
        """The body's triples; errors name the line and column, or the byte of bad UTF-8."""
        tally = Tally(self.limits)
        return [t for document in self.documents for t in self._parse(document, base_iri, tally)]

    def _parse(self, document: RdfDocument, base_iri: str, tally: Tally) -> Iterator[ox.Triple]:
        data, media_type = document.data, document.media_type
        return _triples(
            read_quads(data, media_type, base_iri=base_iri, limits=self.limits, tally=tally)
        )


def _triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            raise BadRequest("a graph is written with triples only: no named graphs")
        yield quad.triple
