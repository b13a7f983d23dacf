"""The SPARQL Update handler that ``/sparql`` calls: authenticated, through the write service."""

from fastapi import Request, Response

from kgservice.auth import authenticate
from kgservice.errors import BadRequest
from kgservice.routers.data import write_response, writes


def handle_update(
    request: Request,
    update_text: str,
    using_graph_uri: list[str] | None = None,
    using_named_graph_uri: list[str] | None = None,
) -> Response:
    principal = authenticate(request.headers.get("authorization"), request.app.state.settings)
    if using_graph_uri or using_named_graph_uri:
        raise BadRequest(
            "using-graph-uri and using-named-graph-uri are not supported; "
            "write USING or WITH in the update instead"
        )
    base = str(request.url.replace(query="", fragment=""))
    return write_response(request, writes(request).update(principal, update_text, base_iri=base))
