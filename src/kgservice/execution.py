"""Run a query under the time and row limits, off the event loop.

Each query runs in its own thread: pyoxigraph releases the GIL while it evaluates, so other
requests go on at normal speed. When the time limit passes the caller gets ``QueryTimeout`` at
once; the thread stops at the next row it fetches. A query that blocks inside the engine (a sort
or an aggregate over a huge join) cannot be interrupted: pyoxigraph has no cancellation, so its
thread finishes that step on its own and its result is dropped.
"""

import asyncio
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from kgservice.errors import QueryTimeout, ResultTooLarge
from kgservice.store.base import QueryResult

_CHECK_EVERY = 256
_Row = TypeVar("_Row")


@dataclass(frozen=True)
class Solutions:
    variables: list[str]
    rows: list[ox.QuerySolution]


Evaluated = Solutions | bool | list[ox.Triple]


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    max_rows: int


async def evaluate(run: Callable[[], QueryResult], limits: Limits) -> Evaluated:
    """``run()`` starts the query; its results are fetched within ``limits``."""
    deadline = time.monotonic() + limits.timeout_s
    future: Future[Evaluated] = Future()
    thread = threading.Thread(
        target=_work, args=(run, limits, deadline, future), daemon=True, name="sparql"
    )
    thread.start()
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), limits.timeout_s)
    except TimeoutError:
        raise _timeout(limits) from None


def _work(
    run: Callable[[], QueryResult], limits: Limits, deadline: float, future: Future[Evaluated]
) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        outcome = _fetch(run(), limits, deadline)
    except BaseException as exc:  # the caller re-raises it on its side
        # pyoxigraph's result iterators must be freed by the thread that made them: drop the
        # traceback (whose frames hold the iterator) here, not in the caller's thread.
        exc.__traceback__ = None
        _settle(future.set_exception, exc)
    else:
        _settle(future.set_result, outcome)


def _settle(setter: Callable[[object], None], value: object) -> None:
    try:
        setter(value)
    except InvalidStateError:  # the caller gave up on the time limit
        pass


def _fetch(result: QueryResult, limits: Limits, deadline: float) -> Evaluated:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return Solutions(names, _take(result, limits, deadline))
    return _take(result, limits, deadline)


def _take(items: Iterable[_Row], limits: Limits, deadline: float) -> list[_Row]:
    taken: list[_Row] = []
    for item in items:
        taken.append(item)
        if len(taken) % _CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise _timeout(limits)
        if len(taken) > limits.max_rows:
            raise ResultTooLarge(
                f"ผลลัพธ์เกิน {limits.max_rows} แถว (the result has more than "
                f"{limits.max_rows} rows; add LIMIT or narrow the query)",
                max_rows=limits.max_rows,
            )
    return taken


def _timeout(limits: Limits) -> QueryTimeout:
    seconds = f"{limits.timeout_s:g} s"
    return QueryTimeout(
        f"คำค้นใช้เวลาเกิน {seconds} (the query ran past the time limit of {seconds})",
        timeout_s=limits.timeout_s,
    )
