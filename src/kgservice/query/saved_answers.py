"""Kept answers saved beside an embedded store on disk, so that a restart serves them at once.

What is saved is the whole results the service keeps (``answer_cache.KeptAnswers.results``), one
file each, and a manifest naming them with the store's content token (``Store.seal``). A later
start takes them back only while the store still holds that token: any change of the store
through the service's code, in this process or another (a write, ``kgservice load``, a first
start's bundled data), removes the token before it changes anything, so a result saved before
is never served for data it was not computed from, even after a crash half-way through the
change. A result is taken back only if its query's text is the one it was computed with.

Saving is crash-safe: result files are written under new names, then the manifest is replaced
in one rename (the old files go only after that), so a manifest always names complete files.
Results are written as SPARQL results in TSV (each term as N-Triples writes it) and read back
by pyoxigraph's own parser, as worker processes hand their results over.
"""

import hashlib
import json
import logging
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice import __version__
from kgservice.background import OnDemand
from kgservice.durable import write_whole
from kgservice.query.execution import Solutions
from kgservice.store import Store

Key = tuple[str, ...]
MANIFEST = "manifest.json"
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Saved:
    """One kept result and what it needs to be kept again after a restart."""

    key: Key
    result: Solutions
    query: str
    """The named query's name."""
    text: str
    """A hash of the query's text, which the result was computed with."""
    params: dict[str, str]
    """Its parameters' values as a reader gives them (``named.bind`` makes the same terms)."""
    partition: str | None = None
    """The partition (a province) whose part of an answer this is; None: a whole answer."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class SavedAnswers:
    def __init__(self, directory: Path, store: Store) -> None:
        self.directory = directory
        self._store = store
        self._files: dict[Key, tuple[Solutions, str]] = {}
        """The files written for the results saved last: a result saved again is not rewritten."""
        self._token: str | None = None
        """The content token the manifest names."""
        self._lock = threading.Lock()

    def restore(self) -> list[Saved]:
        """The results saved under the store's content token as it is now (none if it changed
        or there is none)."""
        token = self._store.content_token()
        try:
            manifest = json.loads((self.directory / MANIFEST).read_text())
        except (OSError, ValueError):
            return []
        if token is None or manifest.get("token") != token or manifest.get("code") != __version__:
            return []
        found = []
        for entry in manifest["entries"]:
            result = _read(self.directory / entry["file"], entry["variables"])
            key = tuple(entry["key"])
            self._files[key] = (result, entry["file"])
            self._token = token
            params = entry["params"]
            found.append(
                Saved(key, result, entry["query"], entry["text"], params, entry["partition"])
            )
        return found

    def save(self, saved: list[Saved], version: int, still: Callable[[], bool]) -> bool:
        """Save ``saved``, the results current at the store's ``version`` as long as ``still``
        holds; false if the store has moved on since or ``still`` no longer holds once the
        store is sealed (nothing is then trusted until the next save)."""
        with self._lock:
            if self._unchanged(saved):
                return True
            self.directory.mkdir(parents=True, exist_ok=True)
            files = {each.key: self._file(each) for each in saved}
            token = self._store.seal(version)
            if token is None or not still():
                return False
            entries = [_entry(each, files[each.key]) for each in saved]
            manifest = {"token": token, "code": __version__, "entries": entries}
            write_whole(
                self.directory / MANIFEST, json.dumps(manifest, ensure_ascii=False).encode()
            )
            self._files = {each.key: (each.result, files[each.key]) for each in saved}
            self._token = token
            for stale in set(_results(self.directory)) - set(files.values()):
                (self.directory / stale).unlink(missing_ok=True)
            return True

    def _unchanged(self, saved: list[Saved]) -> bool:
        """Whether the manifest names these very results, under the token the store holds."""
        same = len(saved) == len(self._files) and all(
            self._files.get(each.key, (None,))[0] is each.result for each in saved
        )
        return same and self._token is not None and self._token == self._store.content_token()

    def _file(self, saved: Saved) -> str:
        """The file that holds ``saved.result``: the one it was saved in before, or a new one."""
        before = self._files.get(saved.key)
        if before is not None and before[0] is saved.result:
            return before[1]
        name = f"{uuid.uuid4().hex}.tsv"
        write_whole(self.directory / name, b"".join(_tsv(saved.result)), sync_directory=False)
        return name


def _entry(saved: Saved, file: str) -> dict[str, object]:
    return {
        "key": list(saved.key),
        "query": saved.query,
        "text": saved.text,
        "params": saved.params,
        "partition": saved.partition,
        "variables": saved.result.variables,
        "file": file,
    }


def _tsv(result: Solutions) -> Iterator[bytes]:
    """SPARQL results in TSV: N-Triples escapes tabs and line breaks in literals."""
    yield ("\t".join(f"?{v}" for v in result.variables) + "\n").encode()
    columns = range(len(result.variables))
    for row in result.rows:
        yield ("\t".join("" if row[i] is None else str(row[i]) for i in columns) + "\n").encode()


def _read(path: Path, variables: list[str]) -> Solutions:
    parsed = ox.parse_query_results(path=str(path), format=ox.QueryResultsFormat.TSV)
    rows = list(parsed) if isinstance(parsed, ox.QuerySolutions) else []
    return Solutions(list(variables), rows)


def _results(directory: Path) -> Iterator[str]:
    return (path.name for path in directory.glob("*.tsv"))


class Saving:
    """Saves in the background, a moment after it is asked (several asks in a row make one
    save, on the service's thread for work after requests, ``background.OnDemand``), and once
    more when closed. It holds what it saves weakly: a service dropped without being closed (as
    tests do) lets its store go."""

    def __init__(self, save: Callable[[], None], delay_s: float = 1.0) -> None:
        self._save = weakref.WeakMethod(save)
        self._delay_s = delay_s
        self._later = OnDemand("kgservice-saving", self._after_delay)

    def soon(self) -> None:
        self._later.wake()

    def close(self) -> None:
        self._saved()

    def _after_delay(self) -> None:
        time.sleep(self._delay_s)
        self._saved()

    def _saved(self) -> None:
        save = self._save()
        if save is None:
            return
        try:
            save()
        except Exception:  # a full disk must not stop the service: the answers stay in memory
            _LOG.exception("kept answers not saved")
