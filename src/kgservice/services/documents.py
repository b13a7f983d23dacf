"""RDF bodies read as streams: parsed again on each pass instead of held as a dataset.

A write reads its content twice (to validate it, then to commit it); holding it as parsed quads
would cost several times the body's size, while parsing is cheap. The first pass happens at
once, so a syntax error is reported before anything else runs.
"""

from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.rdfinput import check_utf8, rdf_format, refuse_xml_declarations, syntax_error


class Reiterable:
    """Triples that can be read more than once: each pass asks ``source`` for a new iterator."""

    def __init__(self, source: Callable[[], Iterator[ox.Triple]]) -> None:
        self._source = source

    def __iter__(self) -> Iterator[ox.Triple]:
        return self._source()


def concatenation(parts: list[Iterable[ox.Triple]]) -> Reiterable:
    return Reiterable(lambda: (t for part in parts for t in part))


class RdfDocument(Reiterable):
    """One RDF document carrying one graph (triples only), checked by a first full pass."""

    def __init__(self, data: bytes, media_type: str, *, base_iri: str | None) -> None:
        super().__init__(self._triples)
        self.format = rdf_format(media_type)
        self.data = data
        self.base_iri = base_iri
        check_utf8(data)
        if self.format == ox.RdfFormat.RDF_XML:
            refuse_xml_declarations(data)
        self.count = sum(1 for _ in self)

    def _triples(self) -> Iterator[ox.Triple]:
        try:
            for quad in ox.parse(self.data, format=self.format, base_iri=self.base_iri):
                if not isinstance(quad.graph_name, ox.DefaultGraph):
                    raise BadRequest("a graph is written with triples only: no named graphs")
                yield quad.triple
        except SyntaxError as error:
            raise syntax_error(error, self.format) from None
