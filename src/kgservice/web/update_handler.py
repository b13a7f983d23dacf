"""The SPARQL Update handler that ``/sparql`` calls: authenticated, through the write service."""

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from kgservice.auth import authenticate
from kgservice.services.update_dataset import with_protocol_dataset
from kgservice.web.routers.data import language, write_response, writes


async def handle_update(
    request: Request,
    update_text: str,
    using_graph_uri: list[str],
    using_named_graph_uri: list[str],
) -> Response:
    principal = authenticate(request.headers.get("authorization"), request.app.state.settings)
    update_text = with_protocol_dataset(update_text, using_graph_uri, using_named_graph_uri)
    base = str(request.url.replace(query="", fragment=""))
    service = writes(request)
    result = await run_in_threadpool(
        service.update, principal, update_text, base_iri=base, lang=language(request)
    )
    return write_response(request, result)
