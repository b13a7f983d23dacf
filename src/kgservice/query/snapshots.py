"""Checkpoints of the on-disk store that worker processes read (``query.isolation``).

A RocksDB checkpoint is taken after each write (hard links): a read-only opener of the live store
would not see later writes, and reading it while this process writes is undefined.
"""

import itertools
import shutil
import threading
from pathlib import Path

from kgservice.store.embedded import EmbeddedStore


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
