"""A whole index built in a process of its own, fed with entries as they are read.

Reading the labels and links from the store and resolving each resource's level, owner and
areas takes about as long as folding and segmenting the labels into words and indexing them:
with the second half in another process the two run on two cores at once. Entries go across in
batches through a bounded queue, so neither side gets far ahead of the other (nor holds the
whole country in memory). The child process starts from nothing (``spawn``): it must not share
the store's open files or threads.
"""

import multiprocessing
import queue
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import tantivy

from kgservice.search.documents import Entry, Label

Sent = tuple[str, str, list[tuple[str, str, str]], list[str], list[str], int, str, str, list[str]]
"""An entry as it crosses to the other process: plain tuples pickle in a third of the time."""

BATCH = 2_000
WAITING = 8
"""Batches sent but not yet taken in: enough to keep the other process busy."""


def build_apart(path: Path, entries: Iterable[Entry]) -> None:
    """Replace everything the index at ``path`` holds with ``entries``, committed once."""
    context = multiprocessing.get_context("spawn")
    batches: multiprocessing.Queue[list[Sent] | None] = context.Queue(WAITING)
    child = context.Process(target=_index, args=(str(path), batches), name="search-index")
    child.start()
    try:
        found = iter(entries)
        while batch := [_sent(entry) for entry in islice(found, BATCH)]:
            _send(batches, batch, child)
        _send(batches, None, child)
    except BaseException:
        batches.cancel_join_thread()  # what is still queued goes nowhere: do not wait for it
        raise
    finally:
        child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"building the search index failed (exit code {child.exitcode})")


def _send(
    batches: "multiprocessing.Queue[list[Sent] | None]",
    batch: list[Sent] | None,
    child: multiprocessing.process.BaseProcess,
) -> None:
    """Put one batch in, waiting while the queue is full, unless the child has died."""
    while True:
        try:
            batches.put(batch, timeout=1)
            return
        except queue.Full:
            if not child.is_alive():
                raise RuntimeError("the search index builder stopped") from None


def _sent(e: Entry) -> Sent:
    labels = [(x.text, x.lang, x.prop) for x in e.labels]
    return (e.graph, e.iri, labels, e.types, e.kinds, e.rank, e.owner, e.province, e.areas)


def _entry(sent: Sent) -> Entry:
    graph, iri, labels, types, kinds, rank, owner, province, areas = sent
    return Entry(
        graph, iri, [Label(*x) for x in labels], types, kinds, rank, owner, province, areas
    )


def _index(path: str, batches: "multiprocessing.Queue[list[Sent] | None]") -> None:
    from kgservice.search.index import document, open_writer, schema

    writer = open_writer(tantivy.Index(schema(), path=path))
    writer.delete_all_documents()
    while (batch := batches.get()) is not None:
        for sent in batch:
            writer.add_document(document(_entry(sent)))
    writer.commit()
    writer.wait_merging_threads()
