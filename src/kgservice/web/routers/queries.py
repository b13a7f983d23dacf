"""Router: the named queries. ``GET /queries`` lists them; ``GET /queries/{name}?param=...`` runs
one, with the same result formats, ``format`` parameter and Accept handling as ``/sparql``, a page
of the rows with ``limit`` and ``offset`` (``kgservice.query.paging``); answers are kept until
the data changes (``kgservice.query.answer_cache``).

``named_query_routes(settings)`` adds one route per query file, so that the OpenAPI document shows
each query with its parameters; an unknown name falls through to ``/queries/{name}``, a 404.
"""

from collections.abc import Awaitable, Callable
from functools import partial

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from kgservice.query import named, serialise
from kgservice.query.answer_cache import Answer, KeptAnswers, Key
from kgservice.query.execution import Evaluated, Solutions
from kgservice.query.named import NamedQuery, Parameter
from kgservice.query.negotiation import for_result
from kgservice.query.paging import Page
from kgservice.query.partitions import PROVINCES, merged, result_key
from kgservice.settings import Settings
from kgservice.store import Store, Term
from kgservice.store.base import Dataset
from kgservice.web.answering import client, evaluated, response
from kgservice.web.caching import not_modified
from kgservice.web.routers.sparql import READ_HEADERS

router = APIRouter(tags=["named queries"])

FORMAT = "format"
TOTAL_COUNT = "Total-Count"
"""The number of rows of the whole answer, on every page of it."""
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
            openapi_extra={
                "parameters": [_openapi(p) for p in query.parameters] + [_FORMAT, *_PAGE]
            },
            name=f"query_{query.name}",
        )
    routes.add_api_route("/queries/{name}", run_query, methods=["GET"], summary="Run a named query")
    return routes


async def run_query(name: str, request: Request) -> Response:
    state = request.app.state
    query = named.find(name, state.settings.queries_dir)
    params = {k: v for k, v in request.query_params.items() if k not in named.RESERVED}
    bindings = named.bind(query, params)
    page = Page.of(request.query_params)
    kept: KeptAnswers | None = state.answers
    directives = request.headers.get("cache-control", "").lower()
    serving = None if "no-cache" in directives else kept  # what was kept may be served
    keeping = None if "no-store" in directives else kept  # what is computed may be kept
    asked = _asked(name, params, request, page)
    reading = partial(_version, query, bindings, kept, state.store)  # before the query runs
    version = await run_in_threadpool(reading) if state.store.version_asks_the_store else reading()
    sent = None if serving is None else serving.sent.get(asked, version)
    if sent is not None:
        return _answer(sent, request, page, params)
    shared = serving if serving is keeping else None  # read from and kept for other readers
    whole, complete = await _whole(query, bindings, request, shared, version, page)
    if shared is not None and query.partition is None:  # kept by version: renewed after writes
        shared.renewals.asked(result_key(query, bindings), query, bindings)
    result = page.of_result(whole)
    media_type = for_result(
        result, request.headers.get("accept"), format=request.query_params.get(FORMAT)
    )
    total = len(whole.rows) if isinstance(whole, Solutions) else None
    if not complete:  # its rows to the page's end and one more: no total, not kept
        headers = _headers(READ_HEADERS, request, page, params, None, _found(whole))
        return response(result, media_type, headers)
    if keeping is None:
        return response(result, media_type, _headers(READ_HEADERS, request, page, params, total))

    def written() -> Answer:
        body = b"".join(serialise.serialise(result, media_type))
        return Answer.of(body, media_type, total)

    # A big answer is written and hashed off the event loop (tens of thousands of rows take a good
    # part of a second); a small one here, where handing it to a thread would cost more.
    answer = written() if serialise.small(result) else await run_in_threadpool(written)
    keeping.sent.put(asked, version, answer)
    return _answer(answer, request, page, params)


def _version(
    query: NamedQuery, bindings: dict[str, Term], kept: KeptAnswers | None, store: Store
) -> int:
    """The version of the data an answer is computed at, read before it is computed so that a
    write meanwhile outdates it: the store's, or that of the parts a partitioned answer shows."""
    return store.version if kept is None else kept.version_of(query, bindings)


async def _whole(
    query: NamedQuery,
    bindings: dict[str, Term],
    request: Request,
    kept: KeptAnswers | None,
    version: int,
    page: Page,
) -> tuple[Evaluated, bool]:
    """The whole result: kept, being computed for someone else, or computed now (and kept),
    under the readers' limits either way (``fresh.compute``); and whether it is whole. A
    partitioned answer over every province is its provinces' parts, of which a page needs only
    those up to its end: the others are added where kept, else left out (not whole)."""
    if kept is None:
        return await _evaluate(query, bindings, request), True
    if query.partition is not None and query.partition.name not in bindings:
        end = None if page.limit is None else page.offset + page.limit + 1
        return await _every_part(query, query.partition.name, bindings, request, kept, end)
    return await kept.result(query, bindings, client(request), version), True


async def _every_part(
    query: NamedQuery,
    name: str,
    bindings: dict[str, Term],
    request: Request,
    kept: KeptAnswers,
    end: int | None,
) -> tuple[Solutions, bool]:
    """Each province's part in the provinces' order (the query's first), kept or computed
    until ``end`` rows are found (None: all), then only those kept; and whether all were."""
    provinces = await kept.result(PROVINCES, {}, client(request), kept.fresh.version())
    assert isinstance(provinces, Solutions)
    parts = [{**bindings, name: row[0]} for row in provinces.rows]
    if not parts:  # a store without areas: nothing to split by
        whole = await kept.fresh.compute(query, bindings, client(request))
        assert isinstance(whole, Solutions)
        return whole, True
    found: list[Solutions] = []
    # One part at a time: the parts are one reader's one question, so they take at most one of
    # its client's heavy-query turns (all at once, a national answer's 77 parts each took a
    # turn, and the client was refused 429 for asking once).
    for part in parts:
        version = kept.fresh.version(part[name].value)
        needed = end is None or sum(len(f.rows) for f in found) < end
        if needed:
            result: Evaluated | None = await kept.result(query, part, client(request), version)
        else:
            result = kept.results.get(result_key(query, part), version)
        if result is None:
            return merged(found), False
        assert isinstance(result, Solutions)
        found.append(result)
    return merged(found), True


async def _evaluate(query: NamedQuery, bindings: dict[str, Term], request: Request) -> Evaluated:
    """A result computed for one reader alone: contained, as a ``/sparql`` query is."""
    store, prepared = request.app.state.store, query.prepared
    return await evaluated(
        request,
        prepared,
        lambda q: store.query(q, bindings=bindings),
        dataset=Dataset(),
        bindings=bindings,
    )


def _asked(name: str, params: dict[str, str], request: Request, page: Page) -> Key:
    """What a sent answer depends on besides the data: the query, its parameters, the format
    and the page."""
    formats = (request.headers.get("accept", ""), request.query_params.get(FORMAT, ""))
    return (name, *formats, *sorted(f"{k}={v}" for k, v in params.items()), *_at(page))


def _at(page: Page) -> tuple[str, str]:
    return (f"limit={page.limit}", f"offset={page.offset}")


def _answer(answer: Answer, request: Request, page: Page, params: dict[str, str]) -> Response:
    headers = _headers({**READ_HEADERS, "ETag": answer.etag}, request, page, params, answer.total)
    if not_modified(request, answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _headers(
    headers: dict[str, str],
    request: Request,
    page: Page,
    params: dict[str, str],
    total: int | None,
    more: int | None = None,
) -> dict[str, str]:
    """``headers`` and, for rows, their ``total`` and the links to the next and previous pages;
    without the total, the links as if there were ``more`` rows (None: not rows)."""
    if total is None and more is None:
        return headers
    asked = dict(params)
    if FORMAT in request.query_params:
        asked[FORMAT] = request.query_params[FORMAT]
    link = page.links(request.url.path, asked, total if total is not None else more or 0)
    counted = {} if total is None else {TOTAL_COUNT: str(total)}
    return {**headers, **counted, **({"Link": link} if link else {})}


def _found(found: Evaluated) -> int | None:
    """The rows found of an answer not found whole: as many as tell whether a page follows."""
    return len(found.rows) if isinstance(found, Solutions) else None


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

_PAGE = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "at most this many rows, in the query's order; the answer's Total-Count "
        "header gives the number of rows of the whole answer",
        "schema": {"type": "integer", "minimum": 0},
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "description": "skip this many rows first",
        "schema": {"type": "integer", "minimum": 0, "default": 0},
    },
]
