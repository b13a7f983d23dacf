"""Router: the named queries. ``GET /queries`` lists them; ``GET /queries/{name}?param=...`` runs
one, with the same result formats, ``format`` parameter and Accept handling as ``/sparql``;
answers are kept until the data changes (``kgservice.query.answer_cache``).

``named_query_routes(settings)`` adds one route per query file, so that the OpenAPI document shows
each query with its parameters; an unknown name falls through to ``/queries/{name}``, a 404.
"""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from kgservice.query import named, serialise
from kgservice.query.answer_cache import Answer, AnswerCache, Key
from kgservice.query.named import Parameter
from kgservice.query.negotiation import for_result
from kgservice.settings import Settings
from kgservice.store.base import Dataset
from kgservice.web.answering import evaluated, response
from kgservice.web.caching import not_modified
from kgservice.web.routers.sparql import READ_HEADERS

router = APIRouter(tags=["named queries"])

FORMAT = "format"
_SCHEMAS = {
    "iri": {"type": "string", "format": "uri"},
    "integer": {"type": "integer"},
    "string": {"type": "string"},
}


@router.get("/queries", summary="The named queries and their parameters")
def list_queries(request: Request) -> list[dict[str, object]]:
    directory = request.app.state.settings.queries_dir
    return [query.to_json() for query in named.catalogue(directory).values()]


def named_query_routes(settings: Settings) -> APIRouter:
    """One ``GET /queries/{name}`` route per named query, then the generic one."""
    routes = APIRouter(tags=["named queries"])
    for query in named.load_named_queries(settings.queries_dir):
        routes.add_api_route(
            f"/queries/{query.name}",
            _runner(query.name),
            methods=["GET"],
            summary=query.summary.get("en", query.name),
            description=query.summary.get("th", ""),
            openapi_extra={"parameters": [_openapi(p) for p in query.parameters] + [_FORMAT]},
            name=f"query_{query.name}",
        )
    routes.add_api_route("/queries/{name}", run_query, methods=["GET"], summary="Run a named query")
    return routes


async def run_query(name: str, request: Request) -> Response:
    state = request.app.state
    query = named.find(name, state.settings.queries_dir)
    params = {k: v for k, v in request.query_params.items() if k != FORMAT}
    bindings = named.bind(query, params)
    store = state.store
    cache: AnswerCache | None = state.answers
    directives = request.headers.get("cache-control", "").lower()
    key = _key(name, params, request)
    version = store.version  # read before the query runs: a write meanwhile outdates the answer
    kept = None if cache is None or "no-cache" in directives else cache.get(key, version)
    if kept is not None:
        return _answer(kept, request)
    prepared = query.prepared
    keep = cache is not None and "no-store" not in directives
    result = await evaluated(  # an answer not kept runs contained, as a /sparql query does
        request,
        prepared,
        lambda q: store.query(q, bindings=bindings),
        dataset=None if keep else Dataset.of(prepared),
        bindings=bindings,
    )
    media_type = for_result(
        result, request.headers.get("accept"), format=request.query_params.get(FORMAT)
    )
    if cache is None or not keep:
        return response(result, media_type, READ_HEADERS)

    def written() -> Answer:
        return Answer.of(version, b"".join(serialise.serialise(result, media_type)), media_type)

    # A big answer is written and hashed off the event loop (tens of thousands of rows take a good
    # part of a second); a small one here, where handing it to a thread would cost more.
    answer = written() if serialise.small(result) else await run_in_threadpool(written)
    cache.put(key, answer)
    return _answer(answer, request)


def _key(name: str, params: dict[str, str], request: Request) -> Key:
    """What the answer depends on besides the data: the query, its parameters, the format."""
    asked = (request.headers.get("accept", ""), request.query_params.get(FORMAT, ""))
    return (name, *asked, *sorted(f"{k}={v}" for k, v in params.items()))


def _answer(answer: Answer, request: Request) -> Response:
    headers = {**READ_HEADERS, "ETag": answer.etag}
    if not_modified(request, answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _runner(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        return await run_query(name, request)

    return run


def _openapi(parameter: Parameter) -> dict[str, object]:
    return {
        "name": parameter.name,
        "in": "query",
        "required": parameter.required,
        "description": parameter.description,
        "schema": _SCHEMAS[parameter.type],
    }


_FORMAT = {
    "name": FORMAT,
    "in": "query",
    "required": False,
    "description": "result format instead of the Accept header: json, xml, csv or tsv",
    "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]},
}
