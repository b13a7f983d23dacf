"""Run a query under the time and row limits, off the event loop.

Each query runs on a thread of a standard ``ThreadPoolExecutor``: pyoxigraph releases the GIL
while it evaluates, so other requests go on at normal speed. When the time limit
passes the caller gets ``QueryTimeout`` at once; the thread stops at the next row it fetches. A
query that blocks inside the engine (a sort or an aggregate over a huge join) cannot be
interrupted: pyoxigraph has no cancellation, so its thread finishes that step on its own and its
result is dropped. While ``max_overdue`` such queries are still running, new queries are refused
at once (503 with ``Retry-After``), so runaway queries cannot take every core.

A query still unanswered after ``heavy_after_s`` is heavy and takes one of the heavy queries'
turns (``query.turns``) the moment it is heavy, as a query in a worker process does; it cannot be
stopped to wait for one, so without a free turn it is given up (503), and past its client's share
too (429), both with ``Retry-After``. Its turn is held until its thread lets the query go.
"""

import asyncio
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from kgservice.errors import QueryTimeout, ResultTooLarge, ServerBusy
from kgservice.query.ordering import Condition, sort
from kgservice.query.turns import Turns
from kgservice.settings import Settings
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
    max_overdue: int = 2

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(settings.query_timeout_s, settings.max_result_rows, settings.max_overdue_queries)


class _Ticket:
    """One query's place in the counts."""

    def __init__(self) -> None:
        self.started = False
        self.abandoned = False
        self.done = False


class _Census:
    """How many queries run in the engine, and how many of them after their caller gave up on
    the time limit. A query given up before a thread took it never runs, so it counts in
    neither."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0
        self.overdue = 0

    def begin(self, ticket: _Ticket) -> None:
        with self._lock:
            ticket.started = True
            self.running += 1
            if ticket.abandoned:
                self.overdue += 1

    def abandon(self, ticket: _Ticket) -> None:
        with self._lock:
            ticket.abandoned = True
            if ticket.started and not ticket.done:
                self.overdue += 1

    def finish(self, ticket: _Ticket) -> None:
        with self._lock:
            ticket.done = True
            self.running -= 1
            if ticket.abandoned:
                self.overdue -= 1


QUERIES = _Census()
# The executor rather than anyio's worker threads: handing a query to a thread and back costs
# about half as much (profiles.md), which shows on the fastest named queries. As many threads
# as anyio allows by default; beyond that, queries wait for a free one.
_THREADS = ThreadPoolExecutor(max_workers=40, thread_name_prefix="sparql")


async def evaluate(
    run: Callable[[], QueryResult],
    limits: Limits,
    order: Sequence[Condition] = (),
    *,
    turns: Turns | None = None,
    client: str = "",
) -> Evaluated:
    """``run()`` starts the query; its results are fetched within ``limits``, and its rows
    sorted by ``order`` (the final ``ORDER BY`` that ``prepare`` took out of its text). With
    ``turns``, a heavy query takes a turn for ``client``."""
    if QUERIES.overdue >= limits.max_overdue:
        raise _busy(limits)
    deadline = time.monotonic() + limits.timeout_s
    ticket = _Ticket()
    work = _THREADS.submit(_work, run, limits, order, deadline, ticket)
    try:
        return await _answered(work, limits, deadline, turns, client)
    except TimeoutError:
        QUERIES.abandon(ticket)
        raise timeout(limits) from None
    except ServerBusy:
        QUERIES.abandon(ticket)
        raise


async def _answered(
    work: "Future[Evaluated]", limits: Limits, deadline: float, turns: Turns | None, client: str
) -> Evaluated:
    running = asyncio.wrap_future(work)
    if turns is not None and turns.heavy_after_s < limits.timeout_s:
        done, _ = await asyncio.wait([running], timeout=turns.heavy_after_s)
        if not done:
            try:
                turns.take_now(client)
            except ServerBusy:
                running.cancel()  # the query's result, if it ever comes, is not wanted
                raise
            # held until the thread lets the query go, which may be long after its caller did
            work.add_done_callback(lambda _: turns.give_back(client))
    return await asyncio.wait_for(running, max(0.0, deadline - time.monotonic()))


def _work(
    run: Callable[[], QueryResult],
    limits: Limits,
    order: Sequence[Condition],
    deadline: float,
    ticket: _Ticket,
) -> Evaluated:
    QUERIES.begin(ticket)
    try:
        return _fetch(run(), limits, order, deadline, ticket)
    except BaseException as exc:  # re-raised in the caller's thread
        # pyoxigraph's result iterators must be freed by the thread that made them: drop the
        # traceback (whose frames hold the iterator) here, not in the caller's thread.
        exc.__traceback__ = None
        raise exc
    finally:
        QUERIES.finish(ticket)


def _fetch(
    result: QueryResult,
    limits: Limits,
    order: Sequence[Condition],
    deadline: float,
    ticket: _Ticket,
) -> Evaluated:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return Solutions(names, sort(_take(result, limits, deadline, ticket), names, order))
    return _take(result, limits, deadline, ticket)


def _take(items: Iterable[_Row], limits: Limits, deadline: float, ticket: _Ticket) -> list[_Row]:
    taken: list[_Row] = []
    for item in items:
        taken.append(item)
        if len(taken) % _CHECK_EVERY == 0 and (ticket.abandoned or time.monotonic() > deadline):
            raise timeout(limits)
        if len(taken) > limits.max_rows:
            raise too_large(limits)
    return taken


def _busy(limits: Limits) -> ServerBusy:
    retry_after = math.ceil(limits.timeout_s)
    return ServerBusy(
        f"มีคำค้นที่เกินเวลายังทำงานอยู่ {limits.max_overdue} รายการ กรุณาลองใหม่ภายหลัง "
        f"({limits.max_overdue} queries past the time limit are still running; try again in "
        f"{retry_after} s)",
        headers={"Retry-After": str(retry_after)},
        overdue_queries=limits.max_overdue,
    )


def too_large(limits: Limits) -> ResultTooLarge:
    return ResultTooLarge(
        f"ผลลัพธ์เกิน {limits.max_rows} แถว (the result has more than "
        f"{limits.max_rows} rows; add LIMIT or narrow the query)",
        max_rows=limits.max_rows,
    )


def timeout(limits: Limits) -> QueryTimeout:
    return QueryTimeout.after(limits.timeout_s)
