"""The generated N-Triples files as one N-Quads stream, each file in the graph named by its stem,
so one bulk load takes them all (loading thousands of files one by one is several times slower)."""

import io
from collections.abc import Iterator
from pathlib import Path

from kgservice.namespaces import graph_iri


class NQuadsStream(io.RawIOBase):
    def __init__(self, files: list[Path], base: str) -> None:
        self._chunks = self._quads(files, base)
        self._pending = b""

    @staticmethod
    def _quads(files: list[Path], base: str) -> Iterator[bytes]:
        for path in files:
            graph = f" <{graph_iri(base, path.stem)}> .\n".encode()
            # N-Triples escapes line breaks inside literals, so " .\n" only ends a statement
            yield path.read_bytes().replace(b" .\n", graph)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def open_stream(files: list[Path], base: str) -> io.BufferedReader:
    return io.BufferedReader(NQuadsStream(files, base), 1 << 20)
