"""Router: the SPARQL 1.1 Graph Store HTTP Protocol at ``/data``.

Reads (GET, HEAD) are public; writes (PUT, POST, DELETE) need a bearer token and go through the
write service. A graph is named by ``?graph=IRI`` (indirect identification), by ``?default``
(the named graph ``{base}graph/default``, which queries see in the union like any other graph),
or by the request URL itself under ``/data/...`` (direct identification).
"""

import io
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser

from kgservice.auth import Principal, Writer, check_may_write
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


GraphName = Annotated[str, Depends(required_graph)]
BodyWrite = Callable[[Principal, str, Iterable[ox.Triple]], WriteResult]


@router.api_route(GRAPH_PATHS[0], methods=["GET", "HEAD"])
@router.api_route(GRAPH_PATHS[1], methods=["GET", "HEAD"])
def get_graph(request: Request, graph: GraphName) -> Response:
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
async def put_graph(request: Request, graph: GraphName, principal: Writer) -> Response:
    return await write_body(request, principal, graph, writes(request).put)


@router.post(GRAPH_PATHS[0])
@router.post(GRAPH_PATHS[1])
async def post_graph(request: Request, principal: Writer) -> Response:
    graph = graph_of(request) or new_graph(request)
    return await write_body(request, principal, graph, writes(request).post)


@router.delete(GRAPH_PATHS[0])
@router.delete(GRAPH_PATHS[1])
def delete_graph(
    request: Request,
    graph: GraphName,
    principal: Writer,
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


async def write_body(
    request: Request, principal: Principal, graph: str, write: BodyWrite
) -> Response:
    """Check the writer may write ``graph`` before reading the body; parse and write off-loop."""
    check_may_write(principal, graph, request.app.state.settings)
    parts = await body_parts(request)

    def parse_and_write() -> WriteResult:
        datasets = [graph_content(body, media_type, graph) for body, media_type in parts]
        return write(principal, graph, (q.triple for d in datasets for q in d))

    return write_response(request, await run_in_threadpool(parse_and_write))


async def body_parts(request: Request) -> list[tuple[bytes, str]]:
    """The body as (bytes, media type) documents: one, or several in a multipart body."""
    body = await read_body(request)
    media_type = request.headers.get("content-type", "")
    if media_type.startswith("multipart/form-data"):
        return await _parts(request, body)
    return [(body, media_type)]


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
    try:
        files = [v for _, v in form.multi_items()]
        if not all(isinstance(f, UploadFile) for f in files):
            raise BadRequest("each part of a multipart body must be a file with its Content-Type")
        return [(await f.read(), f.content_type or "") for f in files]  # type: ignore[union-attr]
    finally:
        await form.close()


def graph_content(body: bytes, media_type: str, graph: str) -> ox.Dataset:
    """One RDF document of the body, parsed with ``graph`` as its base IRI; triples only."""
    dataset = parse_rdf(body, media_type, base_iri=graph)
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in dataset):
        raise BadRequest("a Graph Store request carries one graph: no named graphs in the body")
    return dataset


def _absolute_iri(value: str) -> str:
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise BadRequest(f"not an IRI: {value}") from exc
    if ":" not in value:
        raise BadRequest(f"not an absolute IRI: {value}")
    return value


GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def graph_format(request: Request) -> tuple[str, ox.RdfFormat]:
    accept = request.headers.get("accept", "")
    for media_type, fmt in GRAPH_FORMATS.items():
        if media_type in accept:
            return f"{media_type}; charset=utf-8", fmt
    return "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE


def serialise_graph(service: WriteService, graph: str, rdf_format: ox.RdfFormat) -> bytes:
    out = io.BytesIO()
    service.store.dump(out, format=rdf_format, graph=graph)
    return out.getvalue()


def preferred_language(request: Request) -> str:
    return "en" if request.headers.get("accept-language", "").startswith("en") else "th"
