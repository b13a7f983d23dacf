"""A process's word index over a remote store that other service processes write too.

Each process keeps its own index; another process's write reaches it through the store. Before
the index answers, the store's version token is read (one small query, as kept named answers
do; ``Store.version``). When it changed since the index last caught up, the index takes in
the writes it has not seen, from the ``tp:Submission`` records the writes left in the store
(``SearchUpkeep.catch_up_writes``). Only the records of writes that started since shortly
before the newest one seen are read: writers take turns (``kgservice.store.sharing``), and a
write takes the time it records as started only once its turn has come, after the previous
write's commit, so a write not seen yet started after every write seen; ``SKEW`` allows for
clocks of hosts that disagree and for a writer that kept its turn past its lease. A version
read before the catch-up is the one recorded, so a write committed during it is taken in at the
next search.
"""

import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

from kgservice.errors import StoreUnavailable
from kgservice.search.index import SearchIndex
from kgservice.search.upkeep import SearchUpkeep
from kgservice.store import Store
from kgservice.store.sharing import LEASE

log = logging.getLogger("kgservice.search")
SKEW = 2 * LEASE


class FollowingSearch:
    """``SearchUpkeep``'s ``index`` and ``written``, the index brought up to date with the
    store's last write whoever made it."""

    def __init__(self, upkeep: SearchUpkeep, store: Store) -> None:
        self.upkeep = upkeep
        self.store = store
        self._seen = 0  # not read here: a store out of reach must not stop the start
        self._newest = datetime.now(UTC)  # the start's catch-up took in every earlier write
        self._lock = threading.Lock()

    @property
    def index(self) -> SearchIndex:
        try:
            self._follow()
        except StoreUnavailable as exc:  # answer from the index as it is, as at start
            log.warning("search index not brought up to date: %s", exc.message)
        return self.upkeep.index

    def written(self, graphs: Iterable[str], submission: str) -> None:
        self.upkeep.written(graphs, submission)

    def _follow(self) -> None:
        version = self.store.version  # only goes up
        if version <= self._seen:
            return
        with self._lock:
            if version > self._seen:
                newest = self.upkeep.catch_up_writes(self._newest - SKEW)
                self._newest = max(self._newest, newest)
                self._seen = version


def following(
    upkeep: SearchUpkeep, store: Store, *, shared: bool
) -> SearchUpkeep | FollowingSearch:
    """``upkeep`` as the service uses it: following the store when other processes may write
    to it (``shared``: a remote store), as it is otherwise."""
    return FollowingSearch(upkeep, store) if shared else upkeep
