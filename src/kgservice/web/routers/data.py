"""Router: the SPARQL 1.1 Graph Store HTTP Protocol at ``/data``.

Reads (GET, HEAD) are public; writes (PUT, POST, DELETE) need a bearer token and go through the
write service. A graph is named by ``?graph=IRI`` (indirect identification), by ``?default``
(the named graph ``{base}graph/default``, which queries see in the union like any other graph),
or by the request URL itself under ``/data/...`` (direct identification).
"""

import secrets
from collections.abc import AsyncGenerator, Callable
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from kgservice.auth import Principal
from kgservice.errors import BadRequest, NotFound
from kgservice.namespaces import graph_iri
from kgservice.query import negotiation
from kgservice.rdfinput import BodyLimits
from kgservice.services.documents import RdfBody, RdfDocument
from kgservice.services.writes import WriteResult, default_graph
from kgservice.web.answering import response
from kgservice.web.principal import Writer
from kgservice.web.writing import language, write_response, writes

router = APIRouter()
GRAPH_PATHS = ["/data", "/data/{path:path}"]
READ_HEADERS = {"Vary": "Accept"}
# the handlers read the graph from the URL itself, so FastAPI would not declare the path segment
DIRECT = {
    "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}]
}


def graph_of(request: Request) -> str | None:
    """The graph a request names, or None when it names none (POST to the store itself)."""
    if request.url.path.rstrip("/") != "/data":
        return _absolute_iri(str(request.url.replace(query="", fragment="")))
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


GraphName = Annotated[str, Depends(required_graph)]
BodyWrite = Callable[..., WriteResult]
"""``WriteService.put`` or ``.post``: (principal, graph, body, *, lang) -> result."""


@router.get(GRAPH_PATHS[0])
@router.get(GRAPH_PATHS[1], openapi_extra=DIRECT)
@router.head(GRAPH_PATHS[0])
@router.head(GRAPH_PATHS[1], openapi_extra=DIRECT)
def get_graph(request: Request, graph: GraphName) -> Response:
    service = writes(request)
    if not service.exists(graph):
        raise NotFound(f"no graph {graph}", graph=graph)
    media_type = negotiation.choose(
        request.headers.get("accept"), negotiation.GRAPHS, format=request.query_params.get("format")
    )
    if request.method == "HEAD":
        return Response(media_type=media_type, headers=READ_HEADERS)
    return response(service.content(graph), media_type, READ_HEADERS)


@router.put(GRAPH_PATHS[0])
@router.put(GRAPH_PATHS[1], openapi_extra=DIRECT)
async def put_graph(request: Request, graph: GraphName, principal: Writer) -> Response:
    return await write_body(request, principal, graph, writes(request).put)


@router.post(GRAPH_PATHS[0])
@router.post(GRAPH_PATHS[1], openapi_extra=DIRECT)
async def post_graph(request: Request, principal: Writer) -> Response:
    graph = graph_of(request) or new_graph(request)
    return await write_body(request, principal, graph, writes(request).post)


@router.delete(GRAPH_PATHS[0])
@router.delete(GRAPH_PATHS[1], openapi_extra=DIRECT)
def delete_graph(request: Request, graph: GraphName, principal: Writer) -> Response:
    result = writes(request).delete(principal, graph, lang=language(request))
    return write_response(request, result)


def new_graph(request: Request) -> str:
    """A fresh graph IRI for a POST to the store itself (the Graph Store mints it)."""
    return graph_iri(request.app.state.settings.base_iri, f"new-{secrets.token_hex(8)}")


async def write_body(
    request: Request, principal: Principal, graph: str, write: BodyWrite
) -> Response:
    """Parse and write off the event loop (the service parses once the writer may write)."""
    documents = [RdfDocument(data, media_type) for data, media_type in await body_parts(request)]
    body = RdfBody(documents, BodyLimits.of(request.app.state.settings))
    result = await run_in_threadpool(write, principal, graph, body, lang=language(request))
    return write_response(request, result)


async def body_parts(request: Request) -> list[tuple[bytes, str]]:
    """The body as (bytes, media type) documents: one, or several in a multipart body."""
    body = await request.body()  # its size is limited by the body-size middleware
    media_type = request.headers.get("content-type", "")
    if media_type.startswith("multipart/form-data"):
        return await _parts(request, body)
    return [(body, media_type)]


async def _parts(request: Request, body: bytes) -> list[tuple[bytes, str]]:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(request.headers, stream()).parse()
    except MultiPartException as exc:  # e.g. no boundary in the header, or not found in the body
        message = f"เนื้อหา multipart ไม่ถูกต้อง (a malformed multipart body: {exc.message})"
        raise BadRequest(message) from None
    try:
        files = [v for _, v in form.multi_items()]
        if not all(isinstance(f, UploadFile) for f in files):
            raise BadRequest("each part of a multipart body must be a file with its Content-Type")
        return [(await f.read(), f.content_type or "") for f in files]  # type: ignore[union-attr]
    finally:
        await form.close()


def _absolute_iri(value: str) -> str:
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise BadRequest(f"not an IRI: {value}") from exc
    if ":" not in value:
        raise BadRequest(f"not an absolute IRI: {value}")
    return value
