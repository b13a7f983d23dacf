"""The word index: a tantivy index of entries, on disk beside the store or in memory.

tantivy, not SQLite FTS5: on the national labels (1.25 M) it built in half the time, took a
tenth of the disk and found the best 20 of 93,000 matches in under a millisecond where FTS5
took 120 ms (docs/benchmarks/search.md). A graph's entries are replaced in one tantivy commit,
so a search sees a graph's entries as before a write or as after it, never half of them.
Beside the index, ``state.json`` says which of the store's writes and bundled sources the index
has taken in (``kgservice.search.upkeep`` compares it with the store at start).
"""

import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy

from kgservice.search.documents import Entry
from kgservice.search.text import PROJECT, parts, words

SCHEMA_VERSION = 1
WRITER_HEAP = 128_000_000
STATE = "state.json"


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("graph", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("iri", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("words", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("parts", tokenizer_name="whitespace", index_option="basic")
    builder.add_text_field("keys", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("labels", stored=True)
    builder.add_text_field("types", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kinds", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("areas", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("owner", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(
        "province", stored=True, fast=True, tokenizer_name="raw", index_option="basic"
    )
    builder.add_unsigned_field("rank", stored=True, indexed=True, fast=True)
    builder.add_float_field("weight", fast=True)
    return builder.build()


def document(entry: Entry) -> tantivy.Document:
    found = [words(label.text) for label in entry.labels]
    doc = tantivy.Document(
        graph=entry.graph,
        iri=entry.iri,
        words=[" ".join(w) for w in found if w],
        parts=[" ".join(parts(w)) for w in found if w],
        keys=sorted({k for w in found for k in suggestion_keys(w)}),
        labels=json.dumps([[x.text, x.lang, x.prop] for x in entry.labels]).encode(),
        types=entry.types,
        kinds=entry.kinds,
        areas=entry.areas,
        owner=entry.owner,
        province=entry.province,
        weight=float(7 - entry.rank) if entry.rank else 0.0,
    )
    doc.add_unsigned("rank", entry.rank)
    return doc


def suggestion_keys(found: list[str]) -> list[str]:
    """What a typed prefix is matched against: the label's words run together, also without a
    leading "โครงการ"."""
    keys = ["".join(found)]
    if len(found) > 1 and found[0] == PROJECT:
        keys.append("".join(found[1:]))
    return [k for k in keys if k]


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
            self.index = tantivy.Index(schema(), path=str(path))
        else:
            self.index = tantivy.Index(schema())
        self.state: dict[str, Any] = self._read_state() if self.built else {}

    @staticmethod
    def _compatible(path: Path) -> bool:
        state = json.loads((path / STATE).read_text(encoding="utf-8"))
        return bool(state.get("schema") == SCHEMA_VERSION)

    def _read_state(self) -> dict[str, Any]:
        assert self.path is not None
        state: dict[str, Any] = json.loads((self.path / STATE).read_text(encoding="utf-8"))
        return state

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def replace(
        self, graphs: Iterable[str], entries: Iterable[Entry], state: dict[str, Any]
    ) -> None:
        """Drop the graphs' entries and add ``entries``, in one commit; then record ``state``."""
        with self._lock:
            writer = self._open_writer()
            for graph in graphs:
                writer.delete_documents_by_term("graph", graph)
            self._add_and_commit(writer, entries, state)

    def rebuild(self, entries: Iterable[Entry], state: dict[str, Any]) -> None:
        """Replace everything the index holds with ``entries``."""
        with self._lock:
            writer = self._open_writer()
            writer.delete_all_documents()
            self._add_and_commit(writer, entries, state)
            self.built = True

    def _add_and_commit(self, writer: Any, entries: Iterable[Entry], state: dict[str, Any]) -> None:
        for entry in entries:
            writer.add_document(document(entry))
        writer.commit()
        self.index.reload()
        self._write_state({**state, "schema": SCHEMA_VERSION})

    def _open_writer(self) -> Any:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        return self._writer

    def _write_state(self, state: dict[str, Any]) -> None:
        """Written after the commit, and replaced whole: a crash in between leaves the older
        state, which makes the next start take those changes in again."""
        self.state = state
        if self.path is None:
            return
        temporary = self.path / (STATE + ".new")
        with temporary.open("w", encoding="utf-8") as file:
            json.dump(state, file)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(self.path / STATE)

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())


def _clear(path: Path) -> None:
    """An index without a state (a start stopped during the first build) or of an older
    schema is built again from nothing."""
    for file in path.iterdir():
        if file.is_file():
            file.unlink()
