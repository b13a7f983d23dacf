"""Router: dereferenceable data IRIs. ``/id/{path}`` describes ``{base_iri}{path}`` as a Thai (or
English) page for browsers and as Turtle, JSON-LD, N-Triples or RDF/XML for machines."""

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from kgservice.errors import BadRequest, NotFound
from kgservice.lod.describe import describe, fingerprint
from kgservice.lod.pages import PageInputs, page_sections
from kgservice.web.caching import conditional, etag_of
from kgservice.web.rdfout import HTML, choose_representation, rdf_response
from kgservice.web.templating import page_context, render

router = APIRouter()


@router.get("/id/{path:path}")
def resource(path: str, request: Request) -> Response:
    base = request.app.state.settings.base_iri
    iri = _data_iri(base, path)
    description = describe(request.app.state.store, base, iri)
    if not description:
        raise NotFound(f"{iri} is not in the graph", iri=iri)
    media_type = choose_representation(request)
    if media_type == HTML:
        return _page(request, iri, description)
    etag = etag_of(fingerprint(description), media_type)
    return conditional(request, rdf_response(description, media_type), etag, "Accept")


def _data_iri(base: str, path: str) -> str:
    """``{base}{path}``, refused when it is no IRI: the path arrives percent-decoded, so
    ``/id/a%20b`` asks for an IRI with a space in it (the pages link to ``a%20b`` as
    ``/id/a%2520b``)."""
    iri = base + path
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise BadRequest(f"ที่อยู่นี้ไม่ใช่ IRI (not an IRI: {exc})", iri=iri) from None
    return iri


def _page(request: Request, iri: str, description: list[ox.Triple]) -> Response:
    context = page_context(request)
    inputs = PageInputs(
        request.app.state.store,
        iri,
        description,
        context["lang"],
        context["linker"],
        context["t"],
    )
    response = render(request, "resource.html", context, iri=iri, **page_sections(inputs))
    etag = etag_of(bytes(response.body))
    return conditional(request, response, etag, "Accept, Accept-Language")
