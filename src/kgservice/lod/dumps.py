"""Gzipped N-Quads of the store, streamed while the store writes them (never held whole)."""

import gzip
import queue
import threading
from collections.abc import Iterator

import pyoxigraph as ox

from kgservice.store import Store

CHUNKS_IN_FLIGHT = 16
_DONE = object()


class _Cancelled(Exception):
    """The client went away; the dump stops."""


class _QueueWriter:
    """A write-only file that hands each chunk to the response (blocking when it lags)."""

    def __init__(self, chunks: "queue.Queue[object]", cancelled: threading.Event) -> None:
        self.chunks, self.cancelled = chunks, cancelled

    def write(self, data: bytes) -> int:
        while not self.cancelled.is_set():
            try:
                self.chunks.put(bytes(data), timeout=0.5)
                return len(data)
            except queue.Full:
                continue
        raise _Cancelled

    def flush(self) -> None:
        """Nothing is buffered here."""


class _GraphNamer:
    """Turns the N-Triples of one graph into N-Quads of that graph, line by line."""

    def __init__(self, target: gzip.GzipFile, graph: str) -> None:
        self.target, self.suffix, self.pending = target, f" {ox.NamedNode(graph)} .\n".encode(), b""

    def write(self, data: bytes) -> int:
        lines = (self.pending + bytes(data)).split(b"\n")
        self.pending = lines.pop()
        for line in lines:
            if line.endswith(b" ."):
                self.target.write(line[:-2] + self.suffix)
        return len(data)

    def flush(self) -> None:
        """Lines are written as soon as they are complete."""


def stream_dump(store: Store, graph: str | None) -> Iterator[bytes]:
    """Yield gzip chunks of the whole dataset (``graph=None``) or of one named graph."""
    chunks: queue.Queue[object] = queue.Queue(maxsize=CHUNKS_IN_FLIGHT)
    cancelled = threading.Event()
    thread = threading.Thread(target=_produce, args=(store, graph, chunks, cancelled), daemon=True)
    thread.start()
    try:
        while (chunk := chunks.get()) is not _DONE:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk  # type: ignore[misc]
    finally:
        cancelled.set()


def _produce(
    store: Store, graph: str | None, chunks: "queue.Queue[object]", cancelled: threading.Event
) -> None:
    try:
        with gzip.GzipFile(fileobj=_QueueWriter(chunks, cancelled), mode="wb") as compressed:
            if graph is None:
                store.dump(compressed, format=ox.RdfFormat.N_QUADS)
            else:
                store.dump(
                    _GraphNamer(compressed, graph), format=ox.RdfFormat.N_TRIPLES, graph=graph
                )
        chunks.put(_DONE)
    except _Cancelled:
        return
    except Exception as error:  # handed to the response, which fails the transfer
        chunks.put(error)
