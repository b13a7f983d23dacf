"""The word index taking in each write after the write has returned.

A write is kept once the store has committed it; the index's upkeep (reading the written graphs'
labels again, segmenting their Thai words, committing the index) is only needed for a search to
find it. So a write hands its graphs to one thread that takes them in, in the order they were
committed, and returns; whoever reads the index next first waits until every write handed over
before has been taken in, so a search made after a write returned finds it, as when the write
took it in itself. A process killed before the thread took a write in leaves the index behind,
which the next start catches up from the write's ``tp:Submission`` (``SearchUpkeep.catch_up``).
"""

import logging
import threading
from collections import deque
from collections.abc import Iterable

from kgservice.background import OnDemand
from kgservice.search.following import FollowingSearch
from kgservice.search.index import SearchIndex
from kgservice.search.upkeep import SearchUpkeep

log = logging.getLogger("kgservice.search")


class DeferredSearch:
    """``upkeep``'s ``index`` and ``written``, the writes taken in by a thread of its own."""

    def __init__(self, upkeep: SearchUpkeep | FollowingSearch) -> None:
        self._upkeep = upkeep
        self._writes: deque[tuple[list[str], str]] = deque()
        self._handed = self._taken = 0
        self._changed = threading.Condition()
        self._taking_in = OnDemand("kgservice-search-upkeep", self._take_in)

    @property
    def index(self) -> SearchIndex:
        with self._changed:
            handed = self._handed
            self._changed.wait_for(lambda: self._taken >= handed)
        return self._upkeep.index

    def written(self, graphs: Iterable[str], submission: str) -> None:
        """After a write committed ``graphs`` (``WriteService.after_commit``)."""
        with self._changed:
            self._handed += 1
            self._writes.append((list(graphs), submission))
        self._taking_in.wake()

    def _take_in(self) -> None:
        while True:
            with self._changed:
                if not self._writes:
                    return
                graphs, submission = self._writes.popleft()
            try:
                self._upkeep.written(graphs, submission)
            except Exception:  # the next start catches up from the write's record
                log.exception("search index: a write's graphs not taken in")
            finally:
                with self._changed:
                    self._taken += 1
                    self._changed.notify_all()
