"""Choosing between the HTML page and an RDF syntax, and writing the RDF."""

import pyoxigraph as ox
from fastapi import Request, Response

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


def choose_representation(request: Request) -> ox.RdfFormat | str:
    asked = request.query_params.get("format")
    if asked in RDF_FORMATS:
        return RDF_FORMATS[asked]
    if asked == HTML:
        return HTML
    accept = request.headers.get("accept", "")
    for fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.N_TRIPLES,
                ox.RdfFormat.RDF_XML):
        if fmt.media_type in accept:
            return fmt
    return HTML


def rdf_response(triples: list[ox.Triple], fmt: ox.RdfFormat) -> Response:
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return Response(body, media_type=_media_type(fmt))


def _media_type(fmt: ox.RdfFormat) -> str:
    return fmt.media_type + ("; charset=utf-8" if fmt != ox.RdfFormat.RDF_XML else "")
