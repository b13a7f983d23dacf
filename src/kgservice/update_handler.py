"""The SPARQL Update handler that ``/sparql`` calls: authenticated, through the write service."""

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from kgservice.auth import authenticate
from kgservice.errors import BadRequest
from kgservice.routers.data import write_response, writes


async def handle_update(
    request: Request,
    update_text: str,
    using_graph_uri: list[str],
    using_named_graph_uri: list[str],
) -> Response:
    principal = authenticate(request.headers.get("authorization"), request.app.state.settings)
    if using_graph_uri or using_named_graph_uri:
        raise BadRequest(
            "ไม่รองรับ using-graph-uri / using-named-graph-uri; "
            "write USING or WITH in the update instead"
        )
    base = str(request.url.replace(query="", fragment=""))
    service = writes(request)
    result = await run_in_threadpool(service.update, principal, update_text, base_iri=base)
    return write_response(request, result)
