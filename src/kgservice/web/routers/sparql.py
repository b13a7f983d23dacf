"""Router: the SPARQL 1.1 Protocol endpoint ``/sparql`` (queries, and updates from writers)."""

from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.responses import Response

from kgservice.errors import BadRequest, UnsupportedMediaType
from kgservice.mediatype import ContentType, content_type
from kgservice.query import negotiation
from kgservice.query.guard import REMOTE_FAILURES, check_remote_access, remote_failure
from kgservice.query.prepare import prepare, prepare_update
from kgservice.query.service_description import describe
from kgservice.search.sparql import resolve_text_matches
from kgservice.store.base import Dataset
from kgservice.web import writing
from kgservice.web.answering import answer, response
from kgservice.web.middleware import READ

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
BOM = "\ufeff"
_FORM_ON_THE_LOOP = 64 * 1024
READ_HEADERS = {"Vary": "Accept"}  # CORS comes from middleware.ReadCors
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


@router.get("/sparql")
async def sparql_get(request: Request) -> Response:
    params = request.query_params
    if "update" in params:
        raise BadRequest("SPARQL Update ต้องส่งด้วย POST (an update must be sent with POST)")
    if "query" not in params:
        return _service_description(request)
    return await _query(request, _single(params.getlist("query"), "query"), params)


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    header = content_type(request.headers.get("content-type", ""))
    body = await request.body()
    media_type = header.media_type
    params = request.query_params
    if media_type == FORM:
        fields = await _form(body, header, params)
        queries, updates = fields.getlist("query"), fields.getlist("update")
        if bool(queries) == bool(updates):
            raise BadRequest(
                "ฟอร์มต้องมี query หรือ update อย่างใดอย่างหนึ่ง (send exactly one of query, update)"
            )
        if queries:
            return await _query(request, _single(queries, "query"), fields)
        return await _update(request, _single(updates, "update"), fields)
    if media_type == QUERY:
        return await _query(request, _decode(body, header), params)
    if media_type == UPDATE:
        return await _update(request, _decode(body, header), params)
    raise UnsupportedMediaType(
        f"ไม่รองรับ Content-Type {media_type or '(none)'} (use {FORM}, {QUERY} or {UPDATE})"
    )


@router.options("/sparql")
def sparql_preflight() -> Response:
    return Response(status_code=204, headers=PREFLIGHT_HEADERS)


async def _query(request: Request, text: str, params: QueryParams) -> Response:
    request.scope[READ] = True  # errors too are readable from other sites
    state = request.app.state
    query = prepare(resolve_text_matches(text, state.search.index))
    check_remote_access(query, state.settings.allowed_service_endpoints)
    default_graphs, named_graphs = _dataset(params)
    store, base = state.store, str(request.url.replace(query=""))
    dataset = Dataset(default_graphs, named_graphs, base)
    try:
        return await answer(
            request,
            query,
            lambda q: store.query(q, dataset=dataset),
            dataset=dataset,
            format=params.get("format"),
            headers=READ_HEADERS,
        )
    except REMOTE_FAILURES as exc:
        if not query.remote:
            raise
        raise remote_failure(query.remote, exc) from None


def _dataset(params: QueryParams) -> tuple[list[str] | None, list[str] | None]:
    """The protocol's dataset, when it names one: exactly the listed graphs, nothing else."""
    default_graphs, named_graphs = (
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
    )
    if not default_graphs and not named_graphs:
        return None, None
    for graph in (*default_graphs, *named_graphs):
        _check_iri(graph)
    return default_graphs, named_graphs


def _check_iri(value: str) -> None:
    try:
        ox.NamedNode(value)
    except ValueError:
        raise BadRequest(f"ไม่ใช่ IRI: {value} (not an IRI: {value})", iri=value) from None


async def _update(request: Request, text: str, params: QueryParams) -> Response:
    update = prepare_update(text)
    check_remote_access(update, request.app.state.settings.allowed_service_endpoints)
    return await writing.update(
        request, update, params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
    )


def _service_description(request: Request) -> Response:
    state = request.app.state
    endpoint = str(request.url.replace(query=""))
    triples = describe(
        endpoint, state.store, federated=bool(state.settings.allowed_service_endpoints)
    )
    media_type = negotiation.choose(
        request.headers.get("accept"), negotiation.GRAPHS, format=request.query_params.get("format")
    )
    return response(triples, media_type, READ_HEADERS)


async def _form(body: bytes, header: ContentType, params: QueryParams) -> QueryParams:
    """The form's fields after the URL's; a big form is decoded in a worker thread (15 MB take
    parse_qsl 4 s), a small one here, where that costs less than the hand-over."""
    if len(body) <= _FORM_ON_THE_LOOP:
        return _form_fields(body, header, params)
    return await run_in_threadpool(_form_fields, body, header, params)


def _form_fields(body: bytes, header: ContentType, params: QueryParams) -> QueryParams:
    fields = parse_qsl(_decode(body, header), keep_blank_values=True)
    return QueryParams(list(params.multi_items()) + fields)


def _single(values: list[str], name: str) -> str:
    if len(values) != 1:
        raise BadRequest(f"ต้องมี {name} เพียงหนึ่งเดียว (exactly one {name} parameter is allowed)")
    return values[0].removeprefix(BOM)


def _decode(body: bytes, header: ContentType) -> str:
    if not header.utf8:
        raise UnsupportedMediaType(
            f"รองรับเฉพาะ UTF-8 (only UTF-8 is accepted, not {header.charset})"
        )
    try:
        return body.decode("utf-8").removeprefix(BOM)  # editors on Windows start files with one
    except UnicodeDecodeError as exc:
        raise BadRequest(f"เนื้อหาไม่ใช่ UTF-8 (the body is not UTF-8 at byte {exc.start})") from None
