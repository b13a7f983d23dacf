"""Kept answers in parts: which data version each part of a partitioned answer was last changed at.

A named query that declares a partition (``#+ partition: province``, ``query.named``) has one part
of its answer per province. A write reaches a few provinces (``derived.reach``): the provinces of
what it writes and of what its graphs' elements support or are supported by, before and after the
write. Only those parts go out of date; the parts of every other province stay kept, and a
national answer is the kept parts one after the other (the query is sorted by the partition
first, so that is its order).

Each part's version is the store version of the last write that reached it. A write counts only
once it has committed: its reach is taken before and after the commit (``watch``), and its parts'
versions move on after it, so a reader never keeps what it computed from the data before the
write under the version after it. The write returns once its parts are outdated; the parts kept
for the provinces it reached are handed to the service's renewals (``outdated``,
``query.renewals``), which compute them again in the background, while a reader who asks for one
first computes it (or waits for the renewal's computation of it): a part outdated by a write that
returned is never served. Where its rows say whose they are, a part is computed again from the
part kept before, in the rows of the organisations the writes since then reached (``computed``).
A change of the store that no watched write made (a load, a first start) outdates every part, to
be computed again by the next reader.

Every part is computed as a reader's query is (``Compute``, given by the kept answers'
cache): under the readers' time and row limits and, where the service contains queries in worker
processes, their memory limit. A part that cannot be computed so is left outdated, for its next
reader to ask again.
"""

import asyncio
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgservice.namespaces import TP
from kgservice.query.execution import Evaluated, Solutions
from kgservice.query.named import NamedQuery, parse
from kgservice.query.ordering import sort
from kgservice.store import Store, Term

if TYPE_CHECKING:  # the kept values' cache, which keeps its parts' versions here
    from kgservice.derived.reach import Reached
    from kgservice.query.answer_cache import Kept

Key = tuple[str, ...]

PROVINCES = parse(
    "provinces", f"SELECT ?province WHERE {{ ?province a <{TP}Province> }} ORDER BY ?province"
)
"""The parts of an answer split by province: one for each province the areas name."""

Reach = Callable[[Sequence[str]], "Reached"]
"""The partitions the content of some graphs shows in and the organisations whose rows it can
change, as the store holds them now; None: any."""
Compute = Callable[[NamedQuery, Mapping[str, Term], str], Awaitable[Evaluated]]
"""A named query's result for some bindings, computed for a client under the readers' limits."""
KEPT_WRITES = 64
"""The last watched writes whose reach an answer kept by the store's version is renewed by."""
Renew = Callable[[NamedQuery, Mapping[str, Term], str, int], Awaitable[Evaluated]]
"""A named query's result as it is at a store version, for a client (``Freshness.computed``)."""
SERVICE = "kgservice"
"""The client the service's own computations take heavy queries' turns for."""
Part = tuple[Key, str, NamedQuery, dict[str, Term]]
"""A kept part of an answer: its key, its partition, its query and parameters."""


class Freshness:
    def __init__(
        self,
        store: Store,
        reach: Reach,
        results: "Kept[Evaluated]",
        compute: Compute,
        *,
        at_once: bool = True,
    ) -> None:
        self._store = store
        self._at_once = at_once
        """Whether the reached organisations' rows are computed at once: in the service's own
        workers, yes; over a remote store, one after the other, since queries sent at once to
        it outlast the time limit and leave the service busy (Virtuoso on a loaded machine)."""
        self._reach = reach
        self._results = results
        self.compute = compute
        self._parts: dict[str, dict[Key, tuple[NamedQuery, dict[str, Term]]]] = defaultdict(dict)
        """Each partition's kept parts: their keys in ``results``, how to compute them."""
        self._changed: dict[str, int] = {}
        """Each partition's version: that of the last write that reached it."""
        self._everything = 0
        """The version of the last change that may have reached every partition."""
        self._accounted = -1
        """The store's version as the last watched write left it (-1: not read yet, which a
        remote store must not be while the service is built)."""
        self._writing = 0
        self._writes = 0
        """Writes watched so far, begun or done."""
        self._owners: dict[int, frozenset[str] | None] = {}
        """The organisations whose rows each of the last watched writes could change, by the
        store version it left (None: any)."""
        self._lock = threading.Lock()
        self.outdated: Callable[[list[Part]], None] = lambda parts: None
        """Called with the kept parts a write outdated, once it has (the renewals)."""

    def version(self, partition: str | None = None) -> int:
        """The version of ``partition``'s part of an answer (None: of every part together)."""
        with self._lock:
            current = self._accounted if self._writing else self._store.version  # one read
            if current != self._accounted:
                self._everything = self._accounted = current  # not a watched write
            if partition is None:
                return max(self._everything, *self._changed.values(), 0)
            return max(self._everything, self._changed.get(partition, 0))

    @contextmanager
    def watch(self, graphs: Sequence[str]) -> Iterator[None]:
        """Around a write's commit of ``graphs``, under the writers' lock: the parts it reaches
        go out of date once it has committed (or failed: the store may have changed)."""
        before = self._reach(graphs)
        with self._lock:
            self._writing += 1
            self._writes += 1
        try:
            yield
        finally:
            reached, owners = self._reached_after(before, graphs)
            with self._lock:
                self._writing -= 1
                self._outdate(reached)
                self._note(owners)
                parts = [
                    (key, partition, *how)
                    for partition in reached or ()
                    for key, how in self._parts.get(partition, {}).items()
                ]
            if parts:
                self.outdated(parts)

    def keep(self, partition: str, key: Key, query: NamedQuery, bindings: dict[str, Term]) -> None:
        """Note the part of ``query``'s answer kept under ``key``, to compute it again after a
        write that reaches ``partition``."""
        with self._lock:
            self._parts[partition][key] = (query, bindings)

    def quiet(self) -> int | None:
        """The writes watched so far, if none is under way (None: one is): while one is, the
        parts it reaches are not yet outdated, so what is kept cannot be told current."""
        with self._lock:
            return None if self._writing else self._writes

    def parts(self) -> dict[Key, tuple[str, dict[str, Term]]]:
        """Each part kept: its partition and its parameters."""
        with self._lock:
            return {
                key: (partition, bindings)
                for partition, kept in self._parts.items()
                for key, (_, bindings) in kept.items()
            }

    async def computed(
        self, query: NamedQuery, bindings: Mapping[str, Term], client: str, version: int
    ) -> Evaluated:
        """A kept answer (or part of one) as it is at ``version``: where its rows say whose they
        are and it was kept at an earlier version that only watched writes followed, its rows
        but those of the organisations these writes reached, and theirs computed again at once
        (one after the other over a remote store) (``_part``: it is renewed in the background,
        one answer at a time, or waited for by readers); else computed whole, for ``client``."""
        latest = self._results.latest(result_key(query, bindings))
        owners = self._reached_since(latest[0], version) if latest is not None else None
        if latest is None or owners is None or not query.rows_of or not query.prepared.order:
            return await self.compute(query, bindings, client)
        return await self._part(query, dict(bindings), latest[1], owners)

    def _note(self, owners: frozenset[str] | None) -> None:
        self._owners[self._store.version] = owners
        while len(self._owners) > KEPT_WRITES:
            del self._owners[next(iter(self._owners))]

    def _reached_since(self, kept: int, version: int) -> frozenset[str] | None:
        """The organisations the writes after ``kept`` up to ``version`` reached (None: any,
        or a change no watched write made)."""
        with self._lock:
            steps = [self._owners.get(v) for v in range(kept + 1, version + 1)]
        if kept >= version or any(step is None for step in steps):
            return None
        return frozenset().union(*steps)  # type: ignore[arg-type]

    async def _part(
        self,
        query: NamedQuery,
        bindings: dict[str, Term],
        old: Evaluated | None,
        owners: frozenset[str] | None,
    ) -> Evaluated:
        """The part as it is now: its ``old`` rows but those of the ``owners``, and theirs
        computed again at once, each in a worker of its own where the service has them (by the
        query's statement of its rows by organisation where it has one), in the query's order;
        computed whole where that cannot be told."""
        if not query.rows_of or owners is None or not isinstance(old, Solutions):
            return await self.compute(query, bindings, _client(result_key(query, bindings)))
        columns = [old.variables.index(name) for name in query.rows_of]
        rows = [row for row in old.rows if not _shows(row, columns, owners)]
        asks = [
            partial(
                self.compute,
                query.rows or query,
                {**bindings, name: owner},
                _client(result_key(query, {name: owner})),
            )
            for owner in map(ox.NamedNode, sorted(owners))
            for name in query.rows_of
        ]
        if self._at_once:
            theirs = list(await asyncio.gather(*(ask() for ask in asks)))
        else:
            theirs = [await ask() for ask in asks]
        seen: set[tuple[str, ...]] = set()  # a row of two owners reached comes twice
        for result in theirs:
            assert isinstance(result, Solutions)
            for row in result.rows:
                if (values := tuple(str(row[i]) for i in range(len(old.variables)))) not in seen:
                    seen.add(values)
                    rows.append(row)
        return Solutions(old.variables, sort(rows, old.variables, query.prepared.order))

    def _reached_after(self, before: "Reached", graphs: Sequence[str]) -> "Reached":
        """What the write reached, before or after; everything if that cannot be told (a
        failed commit may have left the store unable to answer)."""
        if before == (None, None):
            return before
        try:
            after = self._reach(graphs)
        except Exception:
            return None, None
        return _either(before[0], after[0]), _either(before[1], after[1])

    def _outdate(self, partitions: frozenset[str] | None) -> None:
        version = self._accounted = self._store.version
        if partitions is None:
            self._everything = version
        for partition in partitions or ():
            self._changed[partition] = version


def _either(before: frozenset[str] | None, after: frozenset[str] | None) -> frozenset[str] | None:
    return None if before is None or after is None else before | after


def result_key(query: NamedQuery, bindings: Mapping[str, Term]) -> Key:
    """Where a whole result, or a part of one, is kept: its query and parameters."""
    return (query.name, *sorted(f"{k}={v}" for k, v in bindings.items()))


def _shows(row: ox.QuerySolution, columns: Sequence[int], owners: frozenset[str]) -> bool:
    return any(row[i] is not None and row[i].value in owners for i in columns)


def _client(key: Key) -> str:
    """The service's computations of kept rows, each for a client of its own: one client's
    share of the heavy queries' turns would refuse all but the first of those running at once
    (a reader's and the renewals')."""
    return " ".join((SERVICE, *key))


def merged(parts: Sequence[Solutions]) -> Solutions:
    """The parts' rows one after the other (each part is already sorted, the parts in order)."""
    return Solutions(parts[0].variables if parts else [], [row for p in parts for row in p.rows])
