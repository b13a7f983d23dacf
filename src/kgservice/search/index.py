"""The word index: a tantivy index of entries, on disk beside the store or in memory.

tantivy, not SQLite FTS5: on the national labels (1.25 M) it built in half the time, took a
tenth of the disk and found the best 20 of 93,000 matches in under a millisecond where FTS5
took 120 ms (docs/benchmarks/search.md). A graph's entries are replaced in one tantivy commit,
so a search sees a graph's entries as before a write or as after it, never half of them.
Beside the index, ``state.json`` holds the checksums of the bundled sources it has taken in, and
``submissions.log`` the writes (``kgservice.search.upkeep`` compares them with the store at
start); a write appends one line rather than rewriting either.
"""

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import tantivy

from kgservice.search.documents import Entry, Label
from kgservice.search.text import PROJECT, parts, words

SCHEMA_VERSION = 3
PREFIX_CHARS = 12
WRITER_HEAP = 128_000_000
PREFIXES = "key_prefixes"
"""The tokenizer of the ``prefixes`` field (``prefix_analyzer``)."""
STATE = "state.json"
LOG = "submissions.log"


@dataclass(frozen=True)
class Record:
    """What the index has taken in, to record after its commit."""

    sources: dict[str, str] | None
    """The checksum of each bundled source (None: unchanged)."""
    submissions: list[str]
    """The writes (``tp:Submission`` IRIs) taken in, beyond those already recorded."""


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("graph", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("parts", tokenizer_name="whitespace", index_option="basic")
    builder.add_text_field("keys", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("prefixes", tokenizer_name=PREFIXES, index_option="basic")
    builder.add_bytes_field("resource", stored=True)
    builder.add_text_field("kinds", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("areas", tokenizer_name="raw", index_option="basic")
    builder.add_text_field(
        "province", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_unsigned_field("rank", stored=True, indexed=True, fast=True)
    builder.add_float_field("weight", fast=True)
    return builder.build()


def document(entry: Entry) -> tantivy.Document:
    found = [analysed(label.text) for label in entry.labels]
    worded = [f for f in found if f.words]
    keys = sorted({k for f in found for k in f.keys})
    fields = {
        "graph": entry.graph,
        "words": [f.words for f in worded],
        "parts": [f.parts for f in worded],
        "keys": keys,
        "prefixes": keys,
        "resource": _stored(entry),
        "kinds": entry.kinds,
        "areas": entry.areas,
        "province": entry.province,
        "rank": entry.rank,
        "weight": (7 - entry.rank) / 6 if entry.rank else 0.0,
    }
    return tantivy.Document.from_dict(fields, _SCHEMA)


class Stored(NamedTuple):
    iri: str
    types: list[str]
    owner: str
    labels: list[Label]


class Analysed(NamedTuple):
    """What the index takes from one label's text."""

    words: str
    parts: str
    keys: tuple[str, ...]
    """Its suggestion keys."""


@lru_cache(maxsize=100_000)
def analysed(text: str) -> Analysed:
    """A label's words, their parts and its suggestion keys; many labels repeat (at national
    scale 1.25 M labels have 570,000 texts)."""
    found = words(text)
    return Analysed(" ".join(found), " ".join(parts(found)), tuple(suggestion_keys(found)))


def _stored(entry: Entry) -> bytes:
    """What a hit shows of the resource and nothing searches by: kept, not indexed. JSON, as
    ``json.dumps`` writes it, put together from strings escaped in C: a third of the time."""
    labels = ", ".join(
        f"[{_quoted(x.text)}, {_quoted(x.lang)}, {_quoted(x.prop)}]" for x in entry.labels
    )
    types = ", ".join(map(_quoted, entry.types))
    shown = f'"iri": {_quoted(entry.iri)}, "types": [{types}], "owner": {_quoted(entry.owner)}'
    return f'{{{shown}, "labels": [{labels}]}}'.encode()


def stored(doc: tantivy.Document) -> Stored:
    """What ``document`` kept of the resource."""
    shown = json.loads(doc["resource"][0])
    labels = [Label(*label) for label in shown["labels"]]
    return Stored(shown["iri"], shown["types"], shown["owner"], labels)


def prefix_analyzer() -> tantivy.TextAnalyzer:
    """The starts of a suggestion key, 1 to ``PREFIX_CHARS`` characters, each a term of its
    own that a suggestion looks up once (a regular expression over the keys would visit every
    key that starts so: 100,000 of "โครงการก่อ")."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, PREFIX_CHARS, True)).build()


def suggestion_keys(found: list[str]) -> list[str]:
    """What a typed prefix is matched against: the label's words run together, also without a
    leading "โครงการ"."""
    keys = ["".join(found)]
    if len(found) > 1 and found[0] == PROJECT:
        keys.append("".join(found[1:]))
    return [k for k in keys if k]


_SCHEMA = schema()
_quoted = json.encoder.encode_basestring


class SearchIndex:
    """One index; a single writer at a time (``kgservice.services.writes`` serialises writes)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._writer: Any = None
        self.built = path is not None and (path / STATE).is_file() and self._compatible(path)
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            if not self.built:
                _clear(path)
            self.index = tantivy.Index(_SCHEMA, path=str(path))
        else:
            self.index = tantivy.Index(_SCHEMA)
        self.index.register_tokenizer(PREFIXES, prefix_analyzer())
        self.sources: dict[str, str] = self._read_state() if self.built else {}
        self.submissions: set[str] = self._read_log() if self.built else set()

    @staticmethod
    def _compatible(path: Path) -> bool:
        state = json.loads((path / STATE).read_text(encoding="utf-8"))
        return bool(state.get("schema") == SCHEMA_VERSION)

    def _read_state(self) -> dict[str, str]:
        assert self.path is not None
        state = json.loads((self.path / STATE).read_text(encoding="utf-8"))
        return dict(state.get("sources", {}))

    def _read_log(self) -> set[str]:
        assert self.path is not None
        log = self.path / LOG
        return set(log.read_text(encoding="utf-8").split()) if log.is_file() else set()

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def replace(self, graphs: Iterable[str], entries: Iterable[Entry], record: Record) -> None:
        """Drop the graphs' entries and add ``entries``, in one commit; then ``record``."""
        with self._lock:
            writer = self._open_writer()
            for graph in graphs:
                writer.delete_documents_by_term("graph", graph)
            self._add_and_commit(writer, entries)
            self._record(record, fresh=False)

    def rebuild(self, entries: Iterable[Entry], record: Record) -> None:
        """Replace everything the index holds with ``entries``."""
        with self._lock:
            writer = self._open_writer()
            writer.delete_all_documents()
            self._add_and_commit(writer, entries)
            self._record(record, fresh=True)
            self.built = True

    def fill(self, entries: Iterable[Entry]) -> None:
        """Replace everything the index holds with ``entries``, recorded as nothing: the process
        that asked for it records it (``record_build``) once the store holds what it holds."""
        with self._lock:
            if self.path is not None:
                (self.path / STATE).unlink(missing_ok=True)
            self.built = False
            writer = self._open_writer()
            writer.delete_all_documents()
            self._add_and_commit(writer, entries)

    def _add_and_commit(self, writer: Any, entries: Iterable[Entry]) -> None:
        for entry in entries:
            writer.add_document(document(entry))
        writer.commit()
        self.index.reload()

    def _open_writer(self) -> Any:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        return self._writer

    def _record(self, record: Record, *, fresh: bool) -> None:
        """Written after the commit: a crash in between leaves the older record, which makes
        the next start take those changes in again."""
        if fresh:
            self.submissions = set()
        self.submissions.update(record.submissions)
        if record.sources is not None:
            self.sources = record.sources
        if self.path is None:
            return
        if fresh:
            record_build(self.path, Record(self.sources, sorted(self.submissions)))
            return
        if record.sources is not None:
            _write_whole(self.path / STATE, {"schema": SCHEMA_VERSION, "sources": self.sources})
        if record.submissions:
            with (self.path / LOG).open("a", encoding="utf-8") as log:
                log.write("".join(f"{s}\n" for s in record.submissions))
                log.flush()
                os.fsync(log.fileno())

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())


def record_build(path: Path, record: Record) -> None:
    """Record ``record`` as what the index at ``path`` holds, all of it (``SearchIndex.fill``)."""
    (path / LOG).write_text("".join(f"{s}\n" for s in record.submissions))
    _write_whole(path / STATE, {"schema": SCHEMA_VERSION, "sources": record.sources or {}})


def _write_whole(path: Path, content: dict[str, Any]) -> None:
    temporary = path.with_name(path.name + ".new")
    with temporary.open("w", encoding="utf-8") as file:
        json.dump(content, file)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)


def _clear(path: Path) -> None:
    """An index without a state (a start stopped during the first build) or of an older
    schema is built again from nothing."""
    for file in path.iterdir():
        if file.is_file():
            file.unlink()
