"""Answers kept until the data changes: named-query results, and the figures the site shows.

A named query's answer depends only on the data, its parameters and the format asked for, and the
data changes only through the store object (an embedded store locks its directory). So an answer,
once written, is served again to anyone who asks the same question until the store's version
moves on (or, for a query split into parts by province, until a write reaches the provinces
it shows: ``kgservice.query.partitions``); a client that has it already gets ``304 Not Modified``
for its ``ETag``. A request with
``Cache-Control: no-cache`` is always answered from the engine. Whole results are kept beside
the answers, so that each page of a long answer is a slice of one computation
(``kgservice.query.paging``). Each cache holds at most ``max_bytes`` (least recently used go
first); a bigger value is not kept. On an embedded store on disk the whole results are saved
too, for the next start over the same data (``kgservice.query.saved_answers``).
"""

import asyncio
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from kgservice.derived import reach
from kgservice.query import named, warming
from kgservice.query.execution import Evaluated, Limits, Solutions
from kgservice.query.isolation import Isolation, evaluate_in
from kgservice.query.named import NamedQuery
from kgservice.query.partitions import PROVINCES, Compute, Freshness, result_key
from kgservice.query.renewals import Renewals
from kgservice.query.saved_answers import Saved, SavedAnswers, Saving, text_hash
from kgservice.query.turns import Turns
from kgservice.settings import Settings
from kgservice.store import Store, Term
from kgservice.store.base import Dataset
from kgservice.store.embedded import EmbeddedStore

_LOG = logging.getLogger(__name__)
Key = tuple[str, ...]
SAVED = "kgservice-answers"
"""The directory in an embedded store's own where its kept answers are saved."""
_Value = TypeVar("_Value")


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    etag: str
    total: int | None = None
    """The rows of the whole answer, of which this may be a page (None: not rows)."""

    @classmethod
    def of(cls, body: bytes, media_type: str, total: int | None = None) -> "Answer":
        """The answer with its ETag, hashed once here rather than on every request for it."""
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        return cls(body, media_type, etag, total)


class Kept(Generic[_Value]):
    """Values computed from the data at some version, the least recently used dropped first
    past ``max_bytes`` (as ``size`` counts them); one bigger than a quarter of that is not kept.
    Each key has its own version (a part of an answer keeps its own while others move on), and
    its value of a newer version replaces an older one; values of outdated versions are asked
    for by no one and so are the first to go."""

    def __init__(self, max_bytes: int, size: Callable[[_Value], int]) -> None:
        self.max_bytes = max_bytes
        self._size = size
        self._values: OrderedDict[Key, tuple[int, _Value]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Key, version: int) -> _Value | None:
        """The value kept for ``key`` if it was computed at the store's current ``version``."""
        with self._lock:
            kept = self._values.get(key)
            if kept is None or kept[0] != version:
                return None
            self._values.move_to_end(key)
            return kept[1]

    def latest(self, key: Key) -> tuple[int, _Value] | None:
        """The value kept for ``key`` and the version it was computed at, however old."""
        with self._lock:
            return self._values.get(key)

    def put(self, key: Key, version: int, value: _Value) -> None:
        """Keep ``value``, computed from the data at ``version`` (read before the query
        started, so that a write during the query leaves it behind)."""
        if self._size(value) > self.max_bytes // 4:
            return
        with self._lock:
            kept = self._values.get(key)
            if kept is not None and kept[0] > version:
                return
            self._drop(key)
            self._values[key] = (version, value)
            self._bytes += self._size(value)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._values)))

    def values(self) -> list[tuple[Key, int, _Value]]:
        """Every value kept, with its key and version."""
        with self._lock:
            return [(key, *kept) for key, kept in self._values.items()]

    def _drop(self, key: Key) -> None:
        old = self._values.pop(key, None)
        if old is not None:
            self._bytes -= self._size(old[1])


class AnswerCache(Kept[Answer]):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, lambda answer: len(answer.body))


class ResultCache(Kept[Evaluated]):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, _result_bytes)
        self.kept: Callable[[], None] = lambda: None
        """Called after each value put: the saved answers are saved again soon."""

    def put(self, key: Key, version: int, value: Evaluated) -> None:
        super().put(key, version, value)
        self.kept()


def _result_bytes(result: Evaluated) -> int:
    """About what a result holds in memory: a row of terms takes a few hundred bytes."""
    if isinstance(result, bool):
        return 1
    return 400 * len(result.rows if isinstance(result, Solutions) else result)


class SingleFlight:
    """One computation per key at a time: who asks for a result being computed waits for that
    computation instead of starting another. After a write every reader of a national answer
    finds it outdated at once; computed once, it costs the engine one run, not one per reader.
    The result is shared through a thread-safe future, so that readers on any event loop (a
    test client runs one per request) can wait for it."""

    def __init__(self) -> None:
        self._running: dict[Key, Future[Evaluated]] = {}
        self._lock = threading.Lock()

    async def run(self, key: Key, compute: Callable[[], Awaitable[Evaluated]]) -> Evaluated:
        while True:
            with self._lock:
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = Future()
                    break
            try:
                return await asyncio.wrap_future(running)
            except _Abandoned:  # its reader went away before it finished: compute it here
                continue
        try:
            result = await compute()
        except asyncio.CancelledError:
            running.set_exception(_Abandoned())
            raise
        except BaseException as exc:
            running.set_exception(exc)
            raise
        else:
            running.set_result(result)
            return result
        finally:
            with self._lock:
                self._running.pop(key, None)


class _Abandoned(Exception):
    """The reader computing a shared result was cancelled."""


@dataclass
class KeptAnswers:
    sent: AnswerCache
    """Answers as sent: one format, one page."""
    results: ResultCache
    """Whole results, whatever the format, of which each page is a slice."""
    computing: SingleFlight
    fresh: Freshness
    """The version of each province's part of a partitioned answer, and how a result to keep
    is computed (``fresh.compute``)."""
    renewals: Renewals
    """The answers kept by the store's version, computed again by the service after a write."""
    store: Store
    queries: dict[str, NamedQuery]
    """The named queries by name (and the list of provinces), as their files say."""
    saved: SavedAnswers | None = None
    """The results saved beside the store, for a restart (an embedded store on disk)."""
    saving: Saving | None = None

    async def result(
        self, query: NamedQuery, bindings: dict[str, Term], client: str, version: int
    ) -> Evaluated:
        """The whole result computed at ``version``: kept, being computed for someone else (a
        reader or the warm-up: never twice at once), or computed now and kept."""
        key = result_key(query, bindings)
        whole = self.results.get(key, version)
        if whole is None:
            who = self.renewals.client(key, version, client)
            compute = partial(self.fresh.computed, query, bindings, who, version)
            whole = await self.computing.run((*key, str(version)), compute)
            self.results.put(key, version, whole)
            if query.partition is not None:  # a province's part: renewed by writes reaching it
                self.fresh.keep(bindings[query.partition.name].value, key, query, bindings)
        return whole

    def warm(
        self, queries: Iterable[NamedQuery], at_once: int = 1, *, by_province: bool = True
    ) -> list[NamedQuery]:
        """Compute and keep every answer that needs no parameter but a province, ``at_once``
        at a time, as their first readers would (``query.warming``): the queries left."""
        return asyncio.run(warming.warm(self, queries, at_once, by_province=by_province))

    def version_of(self, query: NamedQuery, bindings: Mapping[str, Term]) -> int:
        """The version the answer to a question is computed at, read before it is computed so
        that a write meanwhile outdates it: that of its province's part, of every part (a
        national answer split by province), or the store's."""
        if query.partition is None:
            return self.store.version
        part = bindings.get(query.partition.name)
        return self.fresh.version(None if part is None else part.value)

    def restore(self) -> int:
        """Keep again the results saved under the store's content as it is (``saved_answers``)
        whose queries' texts are still those they were computed with: how many."""
        if self.saved is None:
            return 0
        restored = 0
        for each in self.saved.restore():
            query = self.queries.get(each.query)
            if query is None or text_hash(query.text) != each.text:
                continue
            self.results.put(each.key, self._version_of(each.key, each.partition), each.result)
            if each.partition is not None:
                bindings = named.bind(query, each.params)
                self.fresh.keep(each.partition, each.key, query, bindings)
            restored += 1
        _LOG.info("kept answers: %d saved by the last run served again", restored)
        return restored

    def save(self) -> None:
        """Save the results kept and current now, for a restart."""
        writes = self.fresh.quiet()
        if self.saved is None or writes is None:
            return  # during a write: the renewed parts it puts ask for a save again
        version = self.store.version
        parts = self.fresh.parts()
        saved = []
        for key, kept_at, result in self.results.values():
            partition, bindings = parts.get(key, (None, {}))
            query = self.queries.get(key[0])
            current = kept_at == self._version_of(key, partition)
            if current and query is not None and isinstance(result, Solutions):
                params = {name: term.value for name, term in bindings.items()}
                text = text_hash(query.text)
                saved.append(Saved(key, result, query.name, text, params, partition))
        self.saved.save(saved, version, lambda: self.fresh.quiet() == writes)

    def close(self) -> None:
        """Stop saving in the background, after saving once more."""
        if self.saving is not None:
            self.saving.close()

    def _version_of(self, key: Key, partition: str | None) -> int:
        """The version a result kept under ``key`` is current at: its partition's, the
        provinces' (every partition's), or the store's."""
        if partition is not None:
            return self.fresh.version(partition)
        if key == result_key(PROVINCES, {}):
            return self.fresh.version()
        return self.store.version


def kept_answers(
    settings: Settings, store: Store, isolation: Isolation | None, turns: Turns
) -> KeptAnswers | None:
    """The caches the settings ask for (half of the budget each), if the store's version tells
    every change; saved beside an embedded store on disk, for a restart."""
    if settings.answer_cache_mb <= 0 or not store.sole_writer:
        return None
    half = settings.answer_cache_mb * 1024 * 1024 // 2
    results = ResultCache(half)
    compute = computing(store, settings, isolation, turns)
    fresh = Freshness(
        store,
        partial(reach.reached, store, settings),
        results,
        compute,
        at_once=isinstance(store, EmbeddedStore),
    )
    queries = {q.name: q for q in (*named.load_named_queries(settings.queries_dir), PROVINCES)}
    computing_once = SingleFlight()
    renewals = Renewals(store, results, computing_once, fresh.computed, fresh.version)
    fresh.outdated = renewals.outdated
    kept = KeptAnswers(AnswerCache(half), results, computing_once, fresh, renewals, store, queries)
    if isinstance(store, EmbeddedStore) and store.path is not None:
        kept.saved = SavedAnswers(store.path / SAVED, store)
        kept.saving = Saving(kept.save)
        results.kept = kept.saving.soon
    return kept


def computing(
    store: Store, settings: Settings, isolation: Isolation | None, turns: Turns
) -> Compute:
    """How a result to keep is computed, for a reader or after a write: as a reader's query
    is (``evaluate_in``), under the same limits and turns; on an embedded store in a worker
    process, ended at its time or memory limit, on the checkpoint each write starts."""
    limits = Limits.of(settings)

    async def compute(query: NamedQuery, bindings: Mapping[str, Term], client: str) -> Evaluated:
        prepared = query.prepared
        return await evaluate_in(
            isolation,
            prepared,
            lambda q: store.query(q, bindings=bindings),
            limits,
            dataset=Dataset(),
            bindings=bindings,
            turns=turns,
            client=client,
        )

    return compute


class Figures:
    """Values computed from the whole store for the site (counts, the dataset description),
    kept until the store's version moves on; computed every time on a store that others write."""

    def __init__(self) -> None:
        self._values: dict[Hashable, tuple[int, object]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, key: Hashable, compute: Callable[[], _Value]) -> _Value:
        version = store.version  # before computing: a write meanwhile outdates the value
        with self._lock:
            kept = self._values.get(key)
        if store.sole_writer and kept is not None and kept[0] == version:
            return kept[1]  # type: ignore[return-value]
        value = compute()
        if store.sole_writer:
            with self._lock:
                self._values = {k: v for k, v in self._values.items() if v[0] == version}
                self._values[key] = (version, value)
        return value
