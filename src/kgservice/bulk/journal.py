"""The load journal: which graphs a load started and finished, kept next to the store.

The bulk loader is not one transaction: a load killed (or out of disk) while it writes a batch
leaves part of the batch's graphs. Before it writes a batch, a load notes its graphs as started;
once they are written, as done. The next load drops every graph started and not done, so the
store never keeps half a graph; and when it is the same load again (same files, same options), it
skips the graphs already done and goes on from there. A finished load removes the journal.
Each line is a JSON object, written and synced before the store is touched.
"""

import json
import os
from collections.abc import Iterable
from pathlib import Path

from kgservice.settings import Settings


def journal_path(settings: Settings) -> Path | None:
    """Next to the store: ``var/store.load-journal`` for ``var/store``."""
    if settings.memory:
        return None
    return settings.data_dir.with_name(settings.data_dir.name + ".load-journal")


def unfinished(path: Path | None) -> list[str]:
    """Graphs the journal at ``path`` says were started and not finished."""
    started, done, _, _ = _read(path, "")
    return sorted(started - done)


class Journal:
    def __init__(self, path: Path | None, load: str) -> None:
        """``path`` None keeps no file (an in-memory store does not outlive the process);
        ``load`` identifies a load: its files (with their sizes and times) and options."""
        self.path = path
        self.load = load
        started, done, stale, same = _read(path, load)
        self.leftovers = sorted(started - done)
        """Graphs an earlier load started and did not finish."""
        self.done = done if same else set()
        """Graphs this same load finished before it was stopped."""
        self.stale = stale | (done - self.done) | set(self.leftovers)
        """Graphs other, unfinished loads changed: their derived data is not up to date."""
        if path is not None and not same:
            path.write_text(json.dumps({"load": load, "stale": sorted(self.stale)}) + "\n")
            _sync(path)

    def started(self, graphs: Iterable[str]) -> None:
        self._note({"started": sorted(graphs)})

    def finished(self, graphs: Iterable[str]) -> None:
        graphs = sorted(graphs)
        self.done.update(graphs)
        self._note({"done": graphs})

    def close(self) -> None:
        """The load is complete, end-of-load steps included."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def _note(self, entry: dict[str, object]) -> None:
        if self.path is None:
            return
        with self.path.open("a") as out:
            out.write(json.dumps(entry) + "\n")
            out.flush()
            os.fsync(out.fileno())


def _read(path: Path | None, load: str) -> tuple[set[str], set[str], set[str], bool]:
    """Graphs started, done and stale, and whether the journal is this load's."""
    started: set[str] = set()
    done: set[str] = set()
    stale: set[str] = set()
    same = False
    if path is None or not path.exists():
        return started, done, stale, same
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut off by the crash the journal is there for
        same = same or entry.get("load") == load
        started.update(entry.get("started", ()))
        done.update(entry.get("done", ()))
        stale.update(entry.get("stale", ()))
    return started, done, stale, same


def _sync(path: Path) -> None:
    with path.open("a") as out:
        os.fsync(out.fileno())
