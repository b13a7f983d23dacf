"""Checkpoints of the store that worker processes read (``query.isolation``).

A RocksDB checkpoint is taken after each write (hard links): a read-only opener of the live store
would not see later writes, and reading it while this process writes is undefined. A store in
memory, which no other process can read, has a copy on disk (``Mirror``) that makes each of its
changes after it, so that its checkpoint too is hard links, and costs what a write changed
rather than the whole store written out again.
"""

import itertools
import logging
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox

from kgservice.store.embedded import Change, EmbeddedStore

_LOG = logging.getLogger(__name__)


class Mirror:
    """A store on disk at ``path`` kept in step with a store in memory: written out whole at
    first (and after a bulk insert, which the store does not log), then by the changes the
    store logs (``EmbeddedStore.log_changes``), each given to the engine as the store was.
    An update inserts its blank nodes afresh, so theirs differ from the store's, as any two
    copies' would: a query cannot name a blank node."""

    def __init__(self, store: EmbeddedStore, path: Path) -> None:
        self._store, self._path = store, path
        self._log = store.log_changes()
        self._disk: ox.Store | None = None

    def checkpoint(self, path: Path) -> None:
        """A checkpoint at ``path`` of the store as it is now, or later."""
        changes = self._log.take()
        if changes is None or self._disk is None or not _applied(self._disk, changes):
            self._write_whole()
        assert self._disk is not None
        self._disk.backup(str(path))

    def _write_whole(self) -> None:
        self._disk = None  # its lock and files let go first
        shutil.rmtree(self._path, ignore_errors=True)
        self._store.snapshot(self._path)  # and the log starts again from what it holds
        self._disk = ox.Store(str(self._path))


def _applied(disk: ox.Store, changes: list[Change]) -> bool:
    """Whether the ``changes`` were made; if not, the copy is no longer the store's."""
    try:
        for change in changes:
            if isinstance(change, str):
                disk.update(change)
            else:
                disk.extend(change)
    except Exception:
        _LOG.exception("the copy on disk of the store in memory is written out whole again")
        return False
    return True


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
        self._mirror = Mirror(store, root / "mirror") if store.path is None else None

    def take(self) -> Path:
        """The snapshot of the data as it is now, to be ``release``d after the query."""
        with self._lock:
            version = self._store.version  # before the checkpoint: a write meanwhile is seen next
            if self._current is None or self._current[0] != version:
                path = self._root / str(next(self._serial))
                self._checkpoint(path)
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

    def _checkpoint(self, path: Path) -> None:
        if self._mirror is None:
            self._store.snapshot(path)
        else:
            self._mirror.checkpoint(path)

    def _remove_unread(self, path: Path) -> None:
        current = self._current is not None and self._current[1] == path
        if not current and self._readers[path] == 0:
            del self._readers[path]
            # A worker that read it keeps its open files until it opens the next snapshot.
            shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        self._mirror = None
        shutil.rmtree(self._root, ignore_errors=True)
