"""Choosing between the HTML page and an RDF syntax, and writing the RDF."""

import pyoxigraph as ox
from fastapi import Request, Response

from kgservice.lod.caching import conditional, etag_of
from kgservice.lod.sparql import construct
from kgservice.namespaces import PREFIXES

HTML = "html"

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def choose_representation(request: Request, *, default_rdf: bool = False) -> ox.RdfFormat | str:
    """HTML or an RDF syntax; ``default_rdf`` answers Turtle where others would get HTML."""
    asked = request.query_params.get("format")
    if asked in RDF_FORMATS:
        return RDF_FORMATS[asked]
    if asked == HTML:
        return HTML
    accept = request.headers.get("accept", "")
    for fmt in (
        ox.RdfFormat.TURTLE,
        ox.RdfFormat.JSON_LD,
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.RDF_XML,
    ):
        if fmt.media_type in accept:
            return fmt
    return ox.RdfFormat.TURTLE if default_rdf else HTML


def rdf_response(triples: list[ox.Triple], fmt: ox.RdfFormat) -> Response:
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return Response(body, media_type=_media_type(fmt))


def _media_type(fmt: ox.RdfFormat) -> str:
    return fmt.media_type + ("; charset=utf-8" if fmt != ox.RdfFormat.RDF_XML else "")


GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def graph_response(request: Request, graph: str) -> Response:
    """One named graph (the ontology, the shapes) in the RDF syntax the client asked for."""
    fmt = choose_representation(request, default_rdf=True)
    triples = construct(request.app.state.store, GRAPH, g=ox.NamedNode(graph))
    response = rdf_response(triples, fmt)  # type: ignore[arg-type]
    return conditional(request, response, etag_of(response.body), "Accept")
