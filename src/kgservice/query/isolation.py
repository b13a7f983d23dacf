"""Anonymous queries on the embedded store run in worker processes that can be ended.

The engine cannot stop a query inside a sort or an aggregate and has no memory limit, so a query
sent to ``/sparql`` (and a named query's answer, kept or not, and ``kgservice query``) runs in a
worker process (``query.worker``) on a checkpoint of the store (``query.snapshots``): hard
links, of the store on disk or of the copy on disk that follows a store in memory change by
change. Each write's checkpoint is started as soon as the write commits, so the next query
seldom waits for it, and then only for what the write changed. Forking the process that holds
a store in memory would share its pages instead, but pyoxigraph's readers take a lock inside
the engine: a child forked while another thread held it hangs on its first query. The thread
that waits for the answer ends the worker when the query passes its time limit, or when the
worker's resident memory passes ``query_memory_mb``; all of its memory goes back at once. A
limit on the worker's data (``RLIMIT_DATA``, ``query_memory_backstop_mb``) stops an allocation
that grows faster than that look can see.

A query that has used ``heavy_query_after_s`` of CPU time is heavy and needs a turn
(``query.turns``): it waits stopped (SIGSTOP) for one, or is ended with 503 (the queue is full)
or 429 (its client holds its share), both with ``Retry-After``. Light queries take other workers
meanwhile.
"""

import asyncio
import functools
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import QueryMemoryExceeded, StoreUnavailable
from kgservice.query.binding import Term
from kgservice.query.execution import (
    Evaluated,
    Limits,
    Solutions,
    evaluate,
    timeout,
    too_large,
)
from kgservice.query.ordering import sort
from kgservice.query.prepare import PreparedQuery
from kgservice.query.snapshots import Snapshots
from kgservice.query.turns import Turns
from kgservice.query.worker import Reply, Request, receive, send
from kgservice.settings import Settings
from kgservice.store.base import Dataset, QueryResult, Store, syntax_error
from kgservice.store.embedded import EmbeddedStore

_TICK_S = 0.02
"""How often a waiting thread looks at its worker's memory."""
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_MB = 1024 * 1024
# mimalloc (inherited from kgservice serve) reserves 1 GiB of address space at start, which
# RLIMIT_DATA counts; 64 MiB at a time keeps the limit about what the query holds.
_ARENAS = {"MIMALLOC_ARENA_RESERVE": "64MiB"}


class _Worker:
    def __init__(self, data_bytes: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kgservice.query.worker", str(data_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **_ARENAS},
        )
        self.started = False

    def start(self, deadline: float) -> bool:
        """Whether the worker has started (and said so) before ``deadline``."""
        if not self.started:
            wait_s = max(0.0, deadline - time.monotonic())
            if self.answered(wait_s):
                reply = self.reply()
                self.started = reply is not None and reply.kind == "ready"
        return self.started

    def send(self, request: Request) -> None:
        assert self.process.stdin is not None
        send(self.process.stdin, request)

    def answered(self, wait_s: float) -> bool:
        assert self.process.stdout is not None
        return bool(select.select([self.process.stdout], [], [], wait_s)[0])

    def reply(self) -> Reply | None:
        """The worker's answer; None when it ended instead."""
        assert self.process.stdout is not None
        reply = receive(self.process.stdout)
        return reply if isinstance(reply, Reply) else None

    def resident_bytes(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def cpu_seconds(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as stat:
                fields = stat.read().rpartition(b")")[2].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime and stime

    def signal(self, number: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(number)

    def end(self) -> None:
        self.signal(signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Isolation:
    """The worker processes of one app and the heavy queries' turns."""

    def __init__(self, store: EmbeddedStore, settings: Settings, root: Path, turns: Turns) -> None:
        self.snapshots = Snapshots(store, root)
        self.memory_bytes = settings.query_memory_mb * _MB
        self.data_bytes = backstop_mb(settings) * _MB
        self.turns = turns
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(settings.query_workers, thread_name_prefix="isolated")
        self._checkpoints = ThreadPoolExecutor(1, thread_name_prefix="checkpoint")
        self._finalizer = weakref.finalize(self, _end_all, self._all, self.snapshots)

    @property
    def processes(self) -> list[int]:
        """The worker processes' ids, for tests and figures."""
        with self._lock:
            return [worker.process.pid for worker in self._all]

    async def evaluate(
        self,
        query: PreparedQuery,
        dataset: Dataset,
        limits: Limits,
        bindings: Mapping[str, Term] | None = None,
        *,
        client: str = "",
    ) -> Evaluated:
        """``client``: who asked, for the share of heavy turns (``query.turns``)."""
        deadline = time.monotonic() + limits.timeout_s
        request = functools.partial(_request, query.bound(bindings), dataset, limits)
        work = functools.partial(self._run, request, query, limits, deadline, client)
        running = asyncio.get_running_loop().run_in_executor(self._threads, work)
        try:  # the thread keeps the time limit; this only gives up on a query that never started
            return await asyncio.wait_for(running, limits.timeout_s + 1)
        except TimeoutError:
            raise timeout(limits) from None

    def written(self, graphs: list[str], submission: str) -> None:
        """After a write committed: its checkpoint, started now (``WriteService.after_commit``),
        so that the next query seldom waits for it: hard links, of the store on disk or of
        the copy on disk that follows a store in memory (``query.snapshots``)."""
        self._checkpoints.submit(self._checkpoint)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._checkpoints.shutdown(wait=True, cancel_futures=True)
        self._finalizer()

    def _checkpoint(self) -> None:
        self.snapshots.release(self.snapshots.take())

    def _run(
        self,
        request: "functools.partial[Request]",
        query: PreparedQuery,
        limits: Limits,
        deadline: float,
        client: str,
    ) -> Evaluated:
        if time.monotonic() >= deadline:  # waited for a thread all that time
            raise timeout(limits)
        snapshot = self.snapshots.take()
        try:
            reply = self._answer(request(str(snapshot)), limits, deadline, client)
        finally:
            self.snapshots.release(snapshot)
        return self._evaluated(reply, limits, query)

    def _answer(self, request: Request, limits: Limits, deadline: float, client: str) -> Reply:
        worker = self._take()
        heavy = False
        try:
            if not worker.start(deadline):
                raise timeout(limits)
            worker.send(request)
            # CPU time, not the clock: a light query slowed by heavy ones is not heavy
            heavy_at = worker.cpu_seconds() + self.turns.heavy_after_s
            while not worker.answered(_TICK_S):
                if time.monotonic() >= deadline:
                    raise timeout(limits)
                if worker.resident_bytes() > self.memory_bytes:
                    raise _memory_exceeded(self.memory_bytes)
                if not heavy and worker.cpu_seconds() >= heavy_at:
                    heavy = self._wait_for_a_turn(worker, client, deadline)
                    if not heavy:
                        raise timeout(limits)
            reply = worker.reply()
            if reply is None:
                raise self._ended(worker)
        except BaseException:
            self._discard(worker)
            raise
        finally:
            if heavy:
                self.turns.give_back(client)
        self._give_back(worker)
        return reply

    def _wait_for_a_turn(self, worker: _Worker, client: str, deadline: float) -> bool:
        """Take a heavy query's turn, stopped until one is free; False at the deadline."""
        taken = self.turns.take(
            client, lambda: worker.signal(signal.SIGSTOP), deadline - time.monotonic()
        )
        worker.signal(signal.SIGCONT)
        return taken

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        worker = _Worker(self.data_bytes)
        with self._lock:
            self._all.add(worker)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        """End ``worker`` and start another in its place, ready for the next query."""
        worker.end()
        spare = _Worker(self.data_bytes)
        with self._lock:
            self._all.discard(worker)
            self._all.add(spare)
            self._idle.append(spare)

    def _ended(self, worker: _Worker) -> Exception:
        """Why a worker ended while it answered: the engine aborts when an allocation fails
        past the data limit."""
        if worker.process.wait() == -signal.SIGABRT:
            return _memory_exceeded(self.data_bytes)
        return StoreUnavailable("ตัวประมวลผลคำค้นหยุดทำงาน (the query's worker process ended)")

    def _evaluated(self, reply: Reply, limits: Limits, query: PreparedQuery) -> Evaluated:
        if reply.kind == "boolean":
            return reply.body == b"1"
        if reply.kind == "solutions":
            parsed = ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.TSV)
            rows = list(parsed) if isinstance(parsed, ox.QuerySolutions) else []
            variables = list(reply.variables)
            return Solutions(variables, sort(rows, variables, query.order))
        if reply.kind == "triples":
            return [quad.triple for quad in ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES)]
        if reply.kind == "too_many_rows":
            raise too_large(limits)
        if reply.kind == "memory":
            raise _memory_exceeded(self.data_bytes)
        if reply.kind == "syntax":
            raise syntax_error(reply.message)
        raise RuntimeError(reply.message)


def _memory_exceeded(limit_bytes: int) -> QueryMemoryExceeded:
    limit = limit_bytes // _MB
    return QueryMemoryExceeded(
        f"คำค้นใช้หน่วยความจำเกิน {limit} MB (the query needed more than {limit} MB of "
        "memory; narrow it or add LIMIT)",
        memory_mb=limit,
    )


def backstop_mb(settings: Settings) -> int:
    """The worker's data limit: the setting, or the memory limit with half again of headroom
    (at least 256 MB), for what the allocators reserve beyond what they hand out."""
    limit = settings.query_memory_mb
    return settings.query_memory_backstop_mb or limit + max(limit // 2, 256)


def isolation_for(store: Store, settings: Settings, turns: Turns | None = None) -> Isolation | None:
    """Worker processes for an embedded store, taking the heavy queries' ``turns`` (their own
    when not given); None for a remote one (whose server keeps its own limits). A store in
    memory, which no other process can read, gets a copy on disk for the workers, which follows
    its changes."""
    if not settings.query_processes or not isinstance(store, EmbeddedStore):
        return None
    turns = turns or Turns(settings)
    if store.path is not None:
        root = store.path.with_name(f".{store.path.name}.snapshots")
    else:
        root = Path(tempfile.mkdtemp(prefix="kgservice-snapshots-"))
    return Isolation(store, settings, root, turns)


async def evaluate_in(
    isolation: Isolation | None,
    query: PreparedQuery,
    run: Callable[[PreparedQuery], QueryResult],
    limits: Limits,
    *,
    dataset: Dataset | None,
    bindings: Mapping[str, Term] | None = None,
    turns: Turns | None = None,
    client: str = "",
) -> Evaluated:
    """The query's result within ``limits``: given its ``dataset`` (and ``bindings``), in a
    worker process where there are any, else ``run(query)`` in a thread. A heavy query takes
    one of the ``turns`` (the isolation's, in a worker) for ``client`` either way."""
    if isolation is None or dataset is None:
        return await evaluate(lambda: run(query), limits, query.order, turns=turns, client=client)
    return await isolation.evaluate(query, dataset, limits, bindings, client=client)


def _request(text: str, dataset: Dataset, limits: Limits, snapshot: str) -> Request:
    return Request(
        snapshot,
        text,
        dataset.default_graph,
        dataset.named_graphs,
        dataset.base_iri,
        limits.max_rows,
    )


def _end_all(workers: set[_Worker], snapshots: Snapshots) -> None:
    for worker in list(workers):
        worker.end()
    workers.clear()
    snapshots.close()
