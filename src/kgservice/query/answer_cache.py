"""Answers kept until the data changes: named-query results, and the figures the site shows.

A named query's answer depends only on the data, its parameters and the format asked for, and the
data changes only through the store object (an embedded store locks its directory). So an answer,
once written, is served again to anyone who asks the same question until the store's version
moves on; a client that has it already gets ``304 Not Modified`` for its ``ETag``. A request with
``Cache-Control: no-cache`` is always answered from the engine. The cache holds at most
``max_bytes`` of answers (least recently used go first); a bigger answer is not kept.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from kgservice.settings import Settings
from kgservice.store import Store

Key = tuple[str, ...]
_Value = TypeVar("_Value")


@dataclass(frozen=True)
class Answer:
    version: int
    body: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, version: int, body: bytes, media_type: str) -> "Answer":
        """The answer with its ETag, hashed once here rather than on every request for it."""
        return cls(version, body, media_type, '"' + hashlib.sha1(body).hexdigest() + '"')


class AnswerCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[Key, Answer] = OrderedDict()
        self._bytes = 0
        self._version = 0  # the newest version an answer was kept for
        self._lock = threading.Lock()

    def get(self, key: Key, version: int) -> Answer | None:
        """The answer kept for ``key`` if it was computed at the store's current ``version``."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None or answer.version != version:
                return None
            self._answers.move_to_end(key)
            return answer

    def put(self, key: Key, answer: Answer) -> None:
        """Keep ``answer``, computed from the data at ``answer.version`` (read before the query
        started, so that a write during the query leaves it behind)."""
        if len(answer.body) > self.max_bytes // 4:
            return
        with self._lock:
            if answer.version < self._version:
                return
            if answer.version > self._version:  # what was kept is out of date
                self._answers.clear()
                self._bytes, self._version = 0, answer.version
            self._drop(key)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._answers)))

    def _drop(self, key: Key) -> None:
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)


def answer_cache(settings: Settings, store: Store) -> AnswerCache | None:
    """The cache the settings ask for, if the store's version tells every change."""
    if settings.answer_cache_mb <= 0 or not store.sole_writer:
        return None
    return AnswerCache(settings.answer_cache_mb * 1024 * 1024)


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
