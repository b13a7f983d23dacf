"""The search index brought up to date with a load while the load finishes its other steps.

A whole build from what the load saw (``kgservice.search.streamed``) needs nothing more of the
store once the few graphs the load did not write are read, so it runs in a forked process of
its own, on the machine's other core, while the load computes the derived data; the load then
waits only for what is left of it. Any other update of the index after a load (a few graphs,
or a build that reads the store) is made in the load's process when its other steps are done.
"""

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from kgservice.search.documents import Streamed
from kgservice.search.forked import Forked, can_fork
from kgservice.search.index import SearchIndex
from kgservice.search.upkeep import SearchUpkeep
from kgservice.settings import Settings
from kgservice.store import Store

log = logging.getLogger("kgservice.search")


class SearchAfterLoad:
    """Started by ``alongside``; ``finish`` waits for the build or makes the update."""

    def __init__(
        self, upkeep: SearchUpkeep, changed: Collection[str], whole: bool, streamed: Streamed | None
    ) -> None:
        self.upkeep, self.changed, self.whole, self.streamed = upkeep, changed, whole, streamed
        self.process: Forked | None = None
        build = upkeep.whole_build(changed, whole=whole, streamed=streamed)
        if build is not None and can_fork():
            self.streamed = None  # the child holds it now
            self.process = Forked(build.run)  # the child shares what was streamed

    def finish(self) -> None:
        if self.process is None:
            self.upkeep.loaded(self.changed, whole=self.whole, streamed=self.streamed)
            return
        code = self.process.join()
        if code != 0:
            raise RuntimeError(f"the search index build ended with {code}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


@contextmanager
def alongside(
    store: Store,
    settings: Settings,
    changed: Collection[str],
    *,
    whole: bool,
    streamed: Streamed | None,
) -> Iterator[SearchAfterLoad | None]:
    """The index's update after a load of ``changed``, started (None: there is no index);
    ``finish`` it once the load's other steps are done."""
    path = settings.search_index_path
    if path is None or not changed:
        yield None
        return
    index = SearchIndex(path)
    after = None
    try:
        after = SearchAfterLoad(SearchUpkeep(index, store, settings), changed, whole, streamed)
        yield after
    finally:
        if after is not None:
            after.stop()
        index.close()
