"""Anonymous queries on the embedded on-disk store run in worker processes that can be ended.

The engine cannot stop a query inside a sort or an aggregate and has no memory limit, so a query
sent to ``/sparql`` runs in a worker process (``query.worker``) on a snapshot of the store: a
RocksDB checkpoint taken after each write (hard links; a read-only opener of the live store
would not see later writes, and reading it while this process writes is undefined). The thread
that waits for the answer ends the worker when the query passes its time limit, or when the
worker's resident memory passes ``query_memory_mb``; all of its memory goes back at once.

A query that has used ``heavy_query_after_s`` of CPU time is heavy: at most ``heavy_queries`` heavy
ones run at once; up to ``heavy_query_queue`` more wait stopped (SIGSTOP) for a turn, and one
more is ended with 503 and ``Retry-After``. Light queries take other workers meanwhile.
"""

import asyncio
import functools
import itertools
import math
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import QueryMemoryExceeded, ServerBusy, StoreUnavailable
from kgservice.query.binding import Term
from kgservice.query.execution import Evaluated, Limits, Solutions, timeout, too_large
from kgservice.query.ordering import sort
from kgservice.query.prepare import PreparedQuery
from kgservice.query.worker import Reply, Request, receive, send
from kgservice.settings import Settings
from kgservice.store.base import Dataset, Store, syntax_error
from kgservice.store.embedded import EmbeddedStore

_TICK_S = 0.02
"""How often a waiting thread looks at its worker's memory."""
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kgservice.query.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.started = False

    def start(self, deadline: float) -> bool:
        """Whether the worker has started (and said so) before ``deadline``."""
        if not self.started:
            wait_s = max(0.0, deadline - time.monotonic())
            self.started = self.answered(wait_s) and self.reply().kind == "ready"
        return self.started

    def send(self, request: Request) -> None:
        assert self.process.stdin is not None
        send(self.process.stdin, request)

    def answered(self, wait_s: float) -> bool:
        assert self.process.stdout is not None
        return bool(select.select([self.process.stdout], [], [], wait_s)[0])

    def reply(self) -> Reply:
        assert self.process.stdout is not None
        reply = receive(self.process.stdout)
        if not isinstance(reply, Reply):
            raise StoreUnavailable("ตัวประมวลผลคำค้นหยุดทำงาน (the query's worker process ended)")
        return reply

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


class Snapshots:
    """Checkpoints of the store, one for each version that a query read, removed when newer
    ones exist and no query reads them."""

    def __init__(self, store: EmbeddedStore, root: Path) -> None:
        self._store, self._root = store, root
        self._lock = threading.Lock()
        self._serial = itertools.count()
        self._current: tuple[int, Path] | None = None
        self._readers: dict[Path, int] = {}
        shutil.rmtree(root, ignore_errors=True)  # left by a process that was killed
        root.mkdir(parents=True)

    def take(self) -> Path:
        """The snapshot of the data as it is now, to be ``release``d after the query."""
        with self._lock:
            version = self._store.version  # before the checkpoint: a write meanwhile is seen next
            if self._current is None or self._current[0] != version:
                path = self._root / str(next(self._serial))
                self._store.snapshot(path)
                self._readers[path] = 0
                old, self._current = self._current, (version, path)
                if old is not None:
                    self._remove_unread(old[1])
            path = self._current[1]
            self._readers[path] += 1
            return path

    def release(self, path: Path) -> None:
        with self._lock:
            self._readers[path] -= 1
            self._remove_unread(path)

    def _remove_unread(self, path: Path) -> None:
        current = self._current is not None and self._current[1] == path
        if not current and self._readers[path] == 0:
            del self._readers[path]
            # A worker that read it keeps its open files until it opens the next snapshot.
            shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)


class Isolation:
    """The worker processes of one app and the heavy queries' turns."""

    def __init__(self, store: EmbeddedStore, settings: Settings, root: Path) -> None:
        self.snapshots = Snapshots(store, root)
        self.memory_bytes = settings.query_memory_mb * 1024 * 1024
        self.heavy_after_s = settings.heavy_query_after_s
        self.retry_after_s = math.ceil(settings.query_timeout_s)
        self._heavy = threading.Semaphore(settings.heavy_queries)
        self._queue_size = settings.heavy_query_queue
        self._lock = threading.Lock()
        self._waiting = 0
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(settings.query_workers, thread_name_prefix="isolated")
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
    ) -> Evaluated:
        deadline = time.monotonic() + limits.timeout_s
        work = functools.partial(self._run, query, bindings, dataset, limits, deadline)
        running = asyncio.get_running_loop().run_in_executor(self._threads, work)
        try:  # the thread keeps the time limit; this only gives up on a query that never started
            return await asyncio.wait_for(running, limits.timeout_s + 1)
        except TimeoutError:
            raise timeout(limits) from None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._finalizer()

    def _run(
        self,
        query: PreparedQuery,
        bindings: Mapping[str, Term] | None,
        dataset: Dataset,
        limits: Limits,
        deadline: float,
    ) -> Evaluated:
        if time.monotonic() >= deadline:  # waited for a thread all that time
            raise timeout(limits)
        snapshot = self.snapshots.take()
        try:
            request = Request(
                str(snapshot),
                query.bound(bindings),
                dataset.default_graph,
                dataset.named_graphs,
                dataset.base_iri,
                limits.max_rows,
            )
            reply = self._answer(request, limits, deadline)
        finally:
            self.snapshots.release(snapshot)
        return _evaluated(reply, limits, query)

    def _answer(self, request: Request, limits: Limits, deadline: float) -> Reply:
        worker = self._take()
        heavy = False
        try:
            if not worker.start(deadline):
                raise timeout(limits)
            worker.send(request)
            # CPU time, not the clock: a light query slowed by heavy ones is not heavy
            heavy_at = worker.cpu_seconds() + self.heavy_after_s
            while not worker.answered(_TICK_S):
                if time.monotonic() >= deadline:
                    raise timeout(limits)
                if worker.resident_bytes() > self.memory_bytes:
                    raise self._memory_exceeded()
                if not heavy and worker.cpu_seconds() >= heavy_at:
                    self._wait_for_a_turn(worker, limits, deadline)
                    heavy = True
            reply = worker.reply()
        except BaseException:
            self._discard(worker)
            raise
        finally:
            if heavy:
                self._heavy.release()
        self._give_back(worker)
        return reply

    def _wait_for_a_turn(self, worker: _Worker, limits: Limits, deadline: float) -> None:
        """Take one of the heavy queries' turns, stopped until one is free."""
        if self._heavy.acquire(blocking=False):
            return
        with self._lock:
            if self._waiting >= self._queue_size:
                raise self._busy()
            self._waiting += 1
        worker.signal(signal.SIGSTOP)
        try:
            if not self._heavy.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise timeout(limits)
        finally:
            with self._lock:
                self._waiting -= 1
        worker.signal(signal.SIGCONT)

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        worker = _Worker()
        with self._lock:
            self._all.add(worker)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        """End ``worker`` and start another in its place, ready for the next query."""
        worker.end()
        spare = _Worker()
        with self._lock:
            self._all.discard(worker)
            self._all.add(spare)
            self._idle.append(spare)

    def _busy(self) -> ServerBusy:
        return ServerBusy(
            "มีคำค้นหนักรอคิวเต็มแล้ว กรุณาลองใหม่ภายหลัง (too many heavy queries are running or "
            f"waiting; try again in {self.retry_after_s} s)",
            headers={"Retry-After": str(self.retry_after_s)},
        )

    def _memory_exceeded(self) -> QueryMemoryExceeded:
        limit = self.memory_bytes // (1024 * 1024)
        return QueryMemoryExceeded(
            f"คำค้นใช้หน่วยความจำเกิน {limit} MB (the query needed more than {limit} MB of "
            "memory; narrow it or add LIMIT)",
            memory_mb=limit,
        )


def isolation_for(store: Store, settings: Settings) -> Isolation | None:
    """Worker processes for an on-disk embedded store; None for an in-memory store (which no
    other process can read) and for a remote one (whose server keeps its own limits)."""
    if not settings.query_processes or not isinstance(store, EmbeddedStore) or not store.path:
        return None
    root = store.path.with_name(f".{store.path.name}.snapshots")
    return Isolation(store, settings, root)


def _evaluated(reply: Reply, limits: Limits, query: PreparedQuery) -> Evaluated:
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
    if reply.kind == "syntax":
        raise syntax_error(reply.message)
    raise RuntimeError(reply.message)


def _end_all(workers: set[_Worker], snapshots: Snapshots) -> None:
    for worker in list(workers):
        worker.end()
    workers.clear()
    snapshots.close()
