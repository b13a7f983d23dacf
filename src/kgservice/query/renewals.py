"""Kept answers that a write outdates, computed again by the service itself.

A named query not split by province (``query.partitions``) is kept by the store's version, so any
write outdates it; a part of one split by province is outdated by a write that reaches its
province. After a write the service computes again, once, in the background and one at a time,
the parts it outdated (first: the write returns without waiting for them) and each answer kept by
version that readers asked for since the write before; readers who ask meanwhile wait for that
computation (``SingleFlight``), or compute it first, instead of starting another. Whoever
computes a question the service has answered before does so as the service's own client, never
in a reader's share of the heavy queries' turns (``query.turns``): several readers behind one
address are not refused (429) for asking what the service already has or is computing. A
question no one asks between two writes is let go; a question never answered before is computed
in its reader's share, as any other query. Where the query says whose its rows are
(``#+ rows-of``), the renewal, as any computation of it after a write, takes the answer kept
before and computes again only the rows of the organisations the writes since reached
(``Freshness.computed``).
"""

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from kgservice.background import OnDemand
from kgservice.query.execution import Evaluated
from kgservice.query.named import NamedQuery
from kgservice.query.partitions import SERVICE, Part, Renew
from kgservice.store import Store, Term

if TYPE_CHECKING:  # the kept values' cache and the readers' shared computations
    from kgservice.query.answer_cache import Kept, SingleFlight

Key = tuple[str, ...]
Question = tuple[NamedQuery, Mapping[str, Term]]
KNOWN = 4096
"""The questions answered before that are remembered, the least recently asked let go first."""
_LOG = logging.getLogger(__name__)


@dataclass(eq=False)
class Renewals:
    store: Store
    results: "Kept[Evaluated]"
    computing: "SingleFlight"
    compute: Renew
    version_of: Callable[[str], int]
    """The version of a partition's parts (``Freshness.version``)."""
    _asked: dict[Key, Question] = field(default_factory=dict)
    """Asked since the last renewal began: to compute again after the next write."""
    _parts: dict[Key, Part] = field(default_factory=dict)
    """Kept parts outdated by the writes since the last renewal began."""
    _known: OrderedDict[Key, None] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._renewing = OnDemand("kgservice-renewals", self._renew_asked)

    def client(self, key: Key, version: int, reader: str) -> str:
        """Whose turns the computation of ``key``'s answer at ``version`` takes: the service's
        for a question it has answered before (one client per question and version, which one
        computation at a time never takes past its share), else the reader's."""
        with self._lock:
            known = key in self._known
        return _own(key, version) if known else reader

    def asked(self, key: Key, query: NamedQuery, bindings: Mapping[str, Term]) -> None:
        """A reader was given ``key``'s answer, kept or just computed."""
        with self._lock:
            self._asked[key] = (query, bindings)
            self._known[key] = None
            self._known.move_to_end(key)
            while len(self._known) > KNOWN:
                self._known.popitem(last=False)

    def written(self, graphs: list[str], submission: str) -> None:
        """After a write committed (``WriteService.after_commit``): the renewals begin."""
        self._renewing.wake()

    def outdated(self, parts: list[Part]) -> None:
        """A write outdated these kept parts (``Freshness.outdated``): computed again next."""
        with self._lock:
            self._parts.update((part[0], part) for part in parts)
        self._renewing.wake()

    def _renew_asked(self) -> None:
        with self._lock:
            parts, self._parts = self._parts, {}
            questions, self._asked = self._asked, {}
        asyncio.run(self._renew(parts.values(), questions))

    async def _renew(self, parts: Iterable[Part], questions: Mapping[Key, Question]) -> None:
        for key, partition, query, params in parts:
            # the service kept it: its own client, one per part and version
            version = self.version_of(partition)  # before computing, as for a reader
            await self._renewed(key, version, query, params, _own(key, version))
        for key, (query, bindings) in questions.items():
            version = self.store.version
            who = self.client(key, version, SERVICE)
            await self._renewed(key, version, query, bindings, who)  # again only if asked again

    async def _renewed(
        self, key: Key, version: int, query: NamedQuery, bindings: Mapping[str, Term], who: str
    ) -> None:
        compute = partial(self._kept_or_computed, key, version, query, bindings, who)
        try:
            result = await self.computing.run((*key, str(version)), compute)
        except Exception as exc:  # left outdated, for its next reader to ask again
            _LOG.warning("kept answer %s not renewed: %s", key, exc)
            return
        self.results.put(key, version, result)

    async def _kept_or_computed(
        self, key: Key, version: int, query: NamedQuery, bindings: Mapping[str, Term], who: str
    ) -> Evaluated:
        """A reader may have computed it already, between the write and this turn."""
        kept = self.results.get(key, version)
        return kept if kept is not None else await self.compute(query, bindings, who, version)


def _own(key: Key, version: int) -> str:
    """The service's client for computing ``key``'s answer at ``version``."""
    return " ".join((SERVICE, *key, f"@{version}"))
