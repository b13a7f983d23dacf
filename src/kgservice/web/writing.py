"""What the routes that write share: the write service, the answer to a write, and SPARQL Update
through ``/sparql``."""

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from kgservice.query.prepare import PreparedUpdate
from kgservice.services.update_dataset import with_protocol_dataset
from kgservice.services.writes import WriteResult, WriteService
from kgservice.web.language import preferred_language
from kgservice.web.principal import require_principal


def writes(request: Request) -> WriteService:
    service: WriteService = request.app.state.writes
    return service


def language(request: Request) -> str:
    return preferred_language(request.headers.get("accept-language"))


def write_response(request: Request, result: WriteResult) -> Response:
    """201 for a new graph, 204 when there is nothing to report, 200 with the warnings."""
    (graph,) = result.graphs if len(result.graphs) == 1 else (None,)
    headers = {"Location": graph} if result.created and graph else {}
    if not result.created and not result.report.results:
        return Response(status_code=204)
    body = {
        "graphs": result.graphs,
        "submission": result.submission,
        "validation": result.report.to_json(language(request)),
    }
    return JSONResponse(body, status_code=201 if result.created else 200, headers=headers)


async def update(
    request: Request,
    update: PreparedUpdate,
    using_graph_uri: list[str],
    using_named_graph_uri: list[str],
) -> Response:
    """A SPARQL Update from an authenticated writer, through the write service."""
    principal = require_principal(request)
    update = with_protocol_dataset(update, using_graph_uri, using_named_graph_uri)
    base = str(request.url.replace(query="", fragment=""))
    result = await run_in_threadpool(
        writes(request).update, principal, update, base_iri=base, lang=language(request)
    )
    return write_response(request, result)
