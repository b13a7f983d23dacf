"""Answering a query over HTTP: run it under the app's limits, write the result in the media type
the client prefers, in one piece or streamed."""

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kgservice.query.execution import Limits, evaluate
from kgservice.query.isolation import Isolation
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
    are sorted by the query's ``order``. With its ``dataset`` an anonymous query runs in a
    worker process instead, where the app has them (``query.isolation``)."""
    isolation: Isolation | None = request.app.state.isolation
    if isolation is not None and dataset is not None:
        result = await isolation.evaluate(query, dataset, limits(request))
    else:
        result = await evaluate(lambda: run(query), limits(request), query.order)
    media_type = for_result(result, request.headers.get("accept"), format=format)
    return response(result, media_type, headers)


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
