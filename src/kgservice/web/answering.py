"""Answering a query over HTTP: run it under the app's limits, write the result in the media type
the client prefers, in one piece or streamed."""

from collections.abc import Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kgservice.query.binding import Term
from kgservice.query.execution import Evaluated, Limits
from kgservice.query.isolation import Isolation, evaluate_in
from kgservice.query.negotiation import for_result
from kgservice.query.prepare import PreparedQuery
from kgservice.query.serialise import Serialisable, serialise, small
from kgservice.store import QueryResult
from kgservice.store.base import Dataset


async def answer(
    request: Request,
    query: PreparedQuery,
    run: Callable[[PreparedQuery], QueryResult],
    *,
    dataset: Dataset | None = None,
    format: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """``run(query)`` starts the query on a store, e.g. ``lambda q: store.query(q)``; its rows
    are sorted by the query's ``order``."""
    result = await evaluated(request, query, run, dataset=dataset)
    media_type = for_result(result, request.headers.get("accept"), format=format)
    return response(result, media_type, headers)


async def evaluated(
    request: Request,
    query: PreparedQuery,
    run: Callable[[PreparedQuery], QueryResult],
    *,
    dataset: Dataset | None,
    bindings: Mapping[str, Term] | None = None,
) -> Evaluated:
    """The query's result under the app's limits: given its ``dataset`` (and ``bindings``), in
    a worker process where the app has them (``query.isolation``), else ``run(query)`` in a
    thread; a heavy query takes one of the app's turns for its client either way."""
    isolation: Isolation | None = request.app.state.isolation
    client = request.client.host if request.client else ""
    return await evaluate_in(
        isolation,
        query,
        run,
        limits(request),
        dataset=dataset,
        bindings=bindings,
        turns=request.app.state.turns,
        client=client,
    )


def limits(request: Request) -> Limits:
    return Limits.of(request.app.state.settings)


def response(
    result: Serialisable, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    """A response with the serialised result; streamed when the result is big."""
    if not small(result):
        return StreamingResponse(
            serialise(result, media_type), media_type=media_type, headers=headers
        )
    body = b"".join(serialise(result, media_type))
    return Response(body, media_type=media_type, headers=headers)
