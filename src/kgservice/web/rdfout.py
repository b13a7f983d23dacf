"""Choosing between the HTML page and an RDF syntax (through the shared Accept negotiation), and
writing the RDF (through the shared result serialiser)."""

import pyoxigraph as ox
from fastapi import Request, Response

from kgservice.lod.sparql import construct
from kgservice.query import negotiation, serialise
from kgservice.web.caching import conditional, etag_of

HTML = "text/html"
PAGE_OR_RDF = (HTML, *negotiation.GRAPHS)
RDF_ONLY = negotiation.GRAPHS

GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def choose_representation(request: Request, offered: tuple[str, ...] = PAGE_OR_RDF) -> str:
    """The media type to answer with; ``?format=`` (``ttl``, ``jsonld``, ``html``, ...) wins."""
    asked = request.query_params.get("format")
    return negotiation.choose(
        request.headers.get("accept"), offered, format=HTML if asked == "html" else asked
    )


def rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    return Response(b"".join(serialise.serialise(triples, media_type)), media_type=media_type)


def graph_response(request: Request, graph: str) -> Response:
    """One named graph (the ontology, the shapes) in the RDF syntax the client asked for."""
    media_type = choose_representation(request, RDF_ONLY)
    triples = construct(request.app.state.store, GRAPH, g=ox.NamedNode(graph))
    return cached_rdf(request, triples, media_type)


def cached_rdf(request: Request, triples: list[ox.Triple], media_type: str) -> Response:
    response = rdf_response(triples, media_type)
    return conditional(request, response, etag_of(bytes(response.body)), "Accept")
