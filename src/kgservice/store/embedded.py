"""The default backend: an Oxigraph store in this process, on disk or in memory."""

import logging
import re
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kgservice.durable import synced, write_whole
from kgservice.errors import StoreUnavailable
from kgservice.store import union
from kgservice.store.base import Dataset, QueryResult, Store, solutions, syntax_error
from kgservice.store.replacement import difference_update

log = logging.getLogger("kgservice.store")
_CONTENT_TOKEN = "kgservice-content-token"
_GRAPH_AT_END = re.compile(rb" <[^<>\n]*> \.\n")
"""A statement's graph in an N-Quads line that names one: the last term, an IRI (any term
before it that could match leaves a ``<`` inside the match)."""
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
Change = str | list[ox.Quad]
"""A change as the engine was given it: an update's text, or the quads added."""


class ChangeLog:
    """The changes made to a store since a copy of it was last brought up to date, for the copy
    to make too (``query.snapshots``); ``None`` once a bulk insert, which is not kept, means
    the copy must be made whole again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changes: list[Change] | None = None

    def add(self, change: Change | None) -> None:
        with self._lock:
            if self._changes is not None and change is not None:
                self._changes.append(change)
            else:
                self._changes = None

    def take(self) -> list[Change] | None:
        """The changes since the last ``take``, or None: the copy is to be made whole."""
        with self._lock:
            changes, self._changes = self._changes, []
            return changes


class EmbeddedStore(Store):
    sole_writer = True

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.location = str(path) if path is not None else "memory"
        self._compaction: threading.Thread | None = None
        self._begun = 0
        """Changes begun through this object; ``version`` counts those finished."""
        self._token_gone = False
        self._token_lock = threading.Lock()
        self._last_read: tuple[str, int, int, list[ox.Triple]] | None = None
        self._log: ChangeLog | None = None
        self._change_lock = threading.Lock()
        """Held while the engine changes and the change is logged, so the log has their order."""
        try:
            if path is not None:
                path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:  # another process holds the store's lock, or no such directory
            raise StoreUnavailable(_unavailable(path, exc)) from None

    @classmethod
    def scratch(cls, quads: Iterable[ox.Quad]) -> "EmbeddedStore":
        """A store in memory holding exactly ``quads``, without the default graph's copy of the
        union: for reading its named graphs only (a write's content, looked at apart)."""
        store = cls(None)
        store._store.extend(quads)
        return store

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        try:
            return self._store.query(
                text,
                default_graph=_nodes(dataset.default_graph),
                named_graphs=_nodes(dataset.named_graphs),
                base_iri=dataset.base_iri,
            )
        except SyntaxError as exc:
            raise syntax_error(str(exc)) from None

    def update(self, sparql: str) -> None:
        self._changing()
        try:
            self._updated(sparql)
        except SyntaxError as exc:
            raise syntax_error(str(exc)) from None
        finally:
            self.version += 1

    def _updated(self, sparql: str) -> None:
        with self._change_lock:
            self._store.update(sparql)
            if self._log is not None:
                self._log.add(sparql)

    def _extended(self, quads: Iterable[ox.Quad]) -> None:
        with self._change_lock:
            if self._log is None:  # streamed
                self._store.extend(quads)
                return
            added = list(quads)
            self._store.extend(added)
            self._log.add(added)

    @contextmanager
    def _bulk_change(self) -> Iterator[None]:
        with self._change_lock:
            try:
                yield
            finally:  # not one transaction: even half of it is a change
                if self._log is not None:
                    self._log.add(None)

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, then: Sequence[str] = ()
    ) -> None:
        # The stored graphs are read before the change begins: a write has just read the one it
        # replaces, and ``graph_triples`` keeps it only until then.
        held = None
        if then or any(self._store.contains_named_graph(ox.NamedNode(n)) for n in graphs):
            held = {name: self._held(name) for name in graphs}
        self._changing()
        try:
            self._replace_graphs(graphs, then, held)
        finally:
            self.version += 1

    def _replace_graphs(
        self,
        graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]],
        then: Sequence[str],
        held: Mapping[str, set[ox.Triple]] | None,
    ) -> None:
        if held is not None:
            # pyoxigraph removes and adds in one transaction only through an update: a clear
            # followed by extend, or a diff applied with remove, can be cut half-way by a crash,
            # and staging with extend then MOVE GRAPH takes longer and shows both graphs in
            # the union meanwhile (docs/benchmarks/profiles.md, "Replacing a stored graph").
            # The update applies the difference from the stored graphs.
            changes = {name: (held[name], _triples(new)) for name, new in graphs.items()}
            self._updated(difference_update(changes, then))
        else:
            # Nothing to drop or to do with it: extend is one transaction too, and streams.
            self._extended(union.with_copies(_in_graphs(graphs)))

    def _held(self, graph: str) -> set[ox.Triple]:
        return set(self.graph_triples(graph))

    def insert(self, quads: Iterable[ox.Quad]) -> None:
        self._changing()
        try:
            self._extended(union.with_copies(quads))
        finally:
            self.version += 1

    def graph_triples(self, graph: str) -> list[ox.Triple]:
        # A write reads the graph it replaces several times (what an import keeps, whether the
        # write changes it, the difference to apply): the last graph read is kept until the
        # version goes up, which it does with every write (``sole_writer``), or a change
        # begins (a bulk insert does not move the version).
        begun, version, last = self._begun, self.version, self._last_read
        if last is None or last[:3] != (graph, begun, version):
            found = self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            last = (graph, begun, version, [quad.triple for quad in found])
            self._last_read = last
        return list(last[3])

    def bulk_insert(self, quads: Iterable[ox.Quad]) -> None:
        # Oxigraph's bulk loader writes sorted files straight into the indexes: several times
        # faster than a transaction, which also holds all of its changes in memory. Each quad's
        # copy goes in beside it (docs/benchmarks/set-union.md: cheaper than reading the
        # graphs back afterwards, and a load's next batch is validated against the default
        # graph). The loader is not one transaction: a file in the store says a bulk insert is
        # under way, so that a start after a crash puts the copy right (``union.ensure``).
        with self._bulk():
            self._store.bulk_extend(union.with_copies(quads))

    def bulk_insert_nquads(self, data: bytes) -> None:
        # The bulk loader parses the text itself and the copy is the same text with each line's
        # graph cut off: no Python object per statement, which cost more than the loader
        # itself (making each quad's copy alone was 28 s of CPU over four provinces). The
        # parser names blank nodes anew in each call, which keeps one text's nodes one node
        # each, named and copied alike; text with a label goes the way of the objects all the
        # same, so that a node keeps the label it has elsewhere.
        if b"_:" in data:
            super().bulk_insert_nquads(data)
            return
        copy = _GRAPH_AT_END.sub(b" .\n", data)
        with self._bulk():
            self._store.bulk_load(data + copy, ox.RdfFormat.N_QUADS, lenient=True)

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        self._changing()
        owed = self._union_owed_file()
        if owed is not None:
            owed.touch()
            synced(owed.parent)
        try:
            with self._bulk_change():
                yield
        finally:
            self.version += 1
        if owed is not None:
            self._store.flush()
            owed.unlink()

    def copy_union(self) -> None:
        # With the bulk loader, which adds each triple once however many graphs hold it: one
        # update would hold every change in memory (15 GB and rising on the national store).
        # A crashed bulk insert may have left copies whose quads it never wrote: they go first.
        self._changing()
        self._updated(union.STRAYS)
        try:
            with self._bulk_change():
                self._store.bulk_extend(
                    union.copies(self._store.quads_for_pattern(None, None, None))
                )
        finally:
            self.version += 1
        self._store.flush()
        owed = self._union_owed_file()
        if owed is not None:
            owed.unlink(missing_ok=True)

    def content_token(self) -> str | None:
        token = self._token_file()
        try:
            return None if token is None else token.read_text().strip() or None
        except FileNotFoundError:
            return None

    def seal(self, version: int) -> str | None:
        token = self._token_file()
        with self._token_lock:
            if token is None or not version == self.version == self._begun:
                return None
            value = uuid.uuid4().hex
            write_whole(token, value.encode())
            self._token_gone = False
            return value

    def _changing(self) -> None:
        """Before any change: the content token goes first, and durably, so that what was
        saved under it is never taken for the changed content, even by a process that starts
        after this one stopped half-way through the change. Another process cannot change
        the store meanwhile: it is locked while this object has it open."""
        token = self._token_file()
        with self._token_lock:
            self._begun += 1
            if token is None or self._token_gone:
                return
            token.unlink(missing_ok=True)
            synced(token.parent)
            self._token_gone = True

    def _token_file(self) -> Path | None:
        return None if self.path is None else self.path / _CONTENT_TOKEN

    def union_owed(self) -> bool:
        owed = self._union_owed_file()
        return owed is not None and owed.exists()

    def _union_owed_file(self) -> Path | None:
        return None if self.path is None else self.path / "kgservice-union-owed"

    def graphs(self) -> dict[str, int]:
        rows = solutions(self._store.query(_GRAPH_SIZES))
        return {row["g"].value: int(row["n"].value) for row in rows}

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat, graph: str | None = None) -> None:
        if graph is None:  # the named graphs: the default graph is only their union again
            ox.serialize(_named(self._store), output, format=format)
        else:
            self._store.dump(output, format=format, from_graph=ox.NamedNode(graph))

    def snapshot(self, path: Path) -> None:
        """A consistent copy of the store at ``path`` (hard links to its files where it can; a
        store in memory is written out whole, and its log of changes starts again, empty),
        which another process can open read-only while this one goes on writing."""
        if self.path is not None:
            self._store.backup(str(path))
            return
        copy = ox.Store(str(path))  # closed, and its lock let go, when it goes out of scope
        with self._change_lock:  # no change between the copy and the log's new start
            copy.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            if self._log is not None:
                self._log.take()
        copy.flush()

    def log_changes(self) -> ChangeLog:
        """From now on, every change made through this object is also kept in the log returned,
        until taken from it: a copy of a store in memory brought up to date by them costs
        what changed, not the store's size."""
        with self._change_lock:
            self._log = ChangeLog()
            return self._log

    def compact(self) -> None:
        # A bulk load leaves the indexes in many overlapping files, which every lookup has to
        # search, until they are merged; pyoxigraph releases the GIL while it merges, so queries
        # go on meanwhile.
        running = self._compaction is not None and self._compaction.is_alive()
        if self.path is not None and not running:
            self._compaction = threading.Thread(
                target=self._store.optimize, name="kgservice-compaction", daemon=True
            )
            self._compaction.start()

    def close(self) -> None:
        if self._compaction is not None:
            if self._compaction.is_alive():
                log.info("waiting for the store's files to finish merging (%s)", self.location)
            self._compaction.join()
            self._compaction = None
        self._store.flush()


def _unavailable(path: Path | None, exc: OSError) -> str:
    if "lock" in str(exc).lower():
        return (
            f"คลังข้อมูลที่ {path} ถูกใช้อยู่ (the store is in use by another process, such as "
            "a running kgservice serve; stop it, or use another --data-dir)"
        )
    return f"เปิดคลังข้อมูลที่ {path} ไม่ได้ (cannot open the store): {exc}"


def _in_graphs(graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]]) -> Iterator[ox.Quad]:
    for name, statements in graphs.items():
        graph = ox.NamedNode(name)
        for s in statements:
            yield ox.Quad(s.subject, s.predicate, s.object, graph)


def _named(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    return (q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))


def _triples(statements: Iterable[ox.Triple | ox.Quad]) -> list[ox.Triple]:
    return [s if isinstance(s, ox.Triple) else s.triple for s in statements]


def _nodes(iris: list[str] | None) -> list[Any] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]
