"""Router: the SPARQL 1.1 Graph Store HTTP Protocol at ``/data``.

Reads (GET, HEAD) are public; writes (PUT, POST, DELETE) need a bearer token and go through the
write service. A graph is named by ``?graph=IRI`` (indirect identification), by ``?default``
(the named graph ``{base}graph/default``, which queries see in the union like any other graph),
or by the request URL itself under ``/data/...`` (direct identification).
"""

import secrets
from collections.abc import AsyncIterator

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser

from kgservice.auth import Principal, check_may_write, require_principal
from kgservice.errors import BadRequest, NotFound, PayloadTooLarge
from kgservice.namespaces import graph_iri
from kgservice.rdfinput import parse_rdf
from kgservice.services.writes import WriteResult, WriteService, default_graph

router = APIRouter()
GRAPH_PATHS = ["/data", "/data/{path:path}"]


def graph_of(request: Request) -> str | None:
    """The graph a request names, or None when it names none (POST to the store itself)."""
    if request.url.path.rstrip("/") != "/data":
        return str(request.url.replace(query="", fragment=""))
    params = request.query_params
    if "graph" in params and "default" in params:
        raise BadRequest("name either ?graph=IRI or ?default, not both")
    if "default" in params:
        return default_graph(request.app.state.settings)
    if "graph" in params:
        return _absolute_iri(params["graph"])
    return None


def required_graph(request: Request) -> str:
    graph = graph_of(request)
    if graph is None:
        raise BadRequest("name a graph with ?graph=IRI or ?default")
    return graph


def writes(request: Request) -> WriteService:
    service: WriteService = request.app.state.writes
    return service


@router.api_route(GRAPH_PATHS[0], methods=["GET", "HEAD"])
@router.api_route(GRAPH_PATHS[1], methods=["GET", "HEAD"])
def get_graph(request: Request, graph: str = Depends(required_graph)) -> Response:
    service = writes(request)
    if not service.exists(graph):
        raise NotFound(f"no graph {graph}", graph=graph)
    media_type, rdf_format = graph_format(request)
    body = b""
    if request.method == "GET":
        body = serialise_graph(service, graph, rdf_format)
    return Response(body, media_type=media_type)


@router.put(GRAPH_PATHS[0])
@router.put(GRAPH_PATHS[1])
async def put_graph(
    request: Request,
    graph: str = Depends(required_graph),
    principal: Principal = Depends(require_principal),
) -> Response:
    check_may_write(principal, graph, request.app.state.settings)
    triples = await read_graph(request, graph)
    result = await run_in_threadpool(writes(request).put, principal, graph, triples)
    return write_response(request, result)


@router.post(GRAPH_PATHS[0])
@router.post(GRAPH_PATHS[1])
async def post_graph(request: Request, principal: Principal = Depends(require_principal)) -> Response:
    graph = graph_of(request) or new_graph(request)
    check_may_write(principal, graph, request.app.state.settings)
    triples = await read_graph(request, graph)
    result = await run_in_threadpool(writes(request).post, principal, graph, triples)
    return write_response(request, result)


@router.delete(GRAPH_PATHS[0])
@router.delete(GRAPH_PATHS[1])
def delete_graph(
    request: Request,
    graph: str = Depends(required_graph),
    principal: Principal = Depends(require_principal),
) -> Response:
    service = writes(request)
    check_may_write(principal, graph, request.app.state.settings)
    if not service.exists(graph):
        raise NotFound(f"no graph {graph}", graph=graph)
    return write_response(request, service.delete(principal, graph))


def new_graph(request: Request) -> str:
    """A fresh graph IRI for a POST to the store itself (the Graph Store mints it)."""
    return graph_iri(request.app.state.settings.base_iri, f"new-{secrets.token_hex(8)}")


def write_response(request: Request, result: WriteResult) -> Response:
    """201 for a new graph, 204 when there is nothing to report, 200 with the warnings."""
    (graph,) = result.graphs if len(result.graphs) == 1 else (None,)
    headers = {"Location": graph} if result.created and graph else {}
    if not result.created and not result.report.results:
        return Response(status_code=204)
    body = {
        "graphs": result.graphs,
        "submission": result.submission,
        "validation": result.report.to_json(preferred_language(request)),
    }
    return JSONResponse(body, status_code=201 if result.created else 200, headers=headers)


async def read_graph(request: Request, graph: str) -> list[ox.Triple]:
    """The request body's triples; multipart bodies may carry several RDF documents."""
    body = await read_body(request)
    media_type = request.headers.get("content-type", "")
    if media_type.startswith("multipart/form-data"):
        return [t for part in await _parts(request, body) for t in _triples(*part, graph)]
    return _triples(body, media_type, graph)


async def read_body(request: Request) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed the limit."""
    limit = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body larger than {limit} bytes", limit=limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"body larger than {limit} bytes", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _parts(request: Request, body: bytes) -> list[tuple[bytes, str]]:
    async def stream() -> AsyncIterator[bytes]:
        yield body

    form = await MultiPartParser(request.headers, stream()).parse()
    files = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    return [(await f.read(), f.content_type or "") for f in files]


def _triples(body: bytes, media_type: str, graph: str) -> list[ox.Triple]:
    dataset = parse_rdf(body, media_type, base_iri=graph)
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in dataset):
        raise BadRequest("a Graph Store request carries one graph: no named graphs in the body")
    return [q.triple for q in dataset]


def _absolute_iri(value: str) -> str:
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise BadRequest(f"not an IRI: {value}") from exc
    if ":" not in value:
        raise BadRequest(f"not an absolute IRI: {value}")
    return value
