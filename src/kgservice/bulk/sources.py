"""The files a load reads: RDF in any format the parser streams, gzip-compressed or not."""

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kgservice.errors import KgError, RdfSyntaxError
from kgservice.rdfinput import media_type_for_path, rdf_format

GZIP = ".gz"


class UnreadableSource(Exception):
    """A file that cannot be read or parsed; the message says which and why."""


@dataclass(frozen=True)
class RdfFile:
    path: Path
    format: ox.RdfFormat

    @classmethod
    def of(cls, path: Path) -> "RdfFile":
        """The file at ``path``, its format told by its name (``plans.nt.gz`` is N-Triples)."""
        named = path.with_suffix("") if path.suffix.lower() == GZIP else path
        try:
            format = rdf_format(media_type_for_path(named))
        except KgError as exc:
            raise UnreadableSource(f"{path}: {exc.message}") from None
        if not path.is_file():
            raise UnreadableSource(f"{path}: cannot read: no such file")
        return cls(path, format)

    @property
    def stem(self) -> str:
        """The name without its extensions: ``lao-pao-40`` for ``lao-pao-40.nt.gz``."""
        name = self.path.name.removesuffix(GZIP)
        return name.rsplit(".", 1)[0]

    def stamp(self) -> str:
        """Name, size and modification time: what a changed file almost always changes."""
        stat = self.path.stat()
        return f"{self.path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"

    def quads(self) -> Iterator[ox.Quad]:
        """The file's statements as they are read. Blank nodes are renamed, so that two files'
        ``_:b1`` stay two nodes; a syntax error says where it is."""
        try:
            if self.gzipped:
                with self.open() as stream:
                    yield from self._parse(stream)
            else:  # the parser reads the file itself, without a Python call per block
                yield from self._parse(None)
        except SyntaxError as exc:
            raise RdfSyntaxError(f"{self.path}: {exc}", file=str(self.path)) from None
        except (OSError, EOFError) as exc:
            raise UnreadableSource(f"{self.path}: cannot read: {exc}") from None

    @property
    def gzipped(self) -> bool:
        return self.path.suffix.lower() == GZIP

    def open(self) -> IO[bytes]:
        """The file's bytes, uncompressed."""
        if self.gzipped:
            return cast(IO[bytes], gzip.open(self.path, "rb"))  # a binary stream, as typed
        return self.path.open("rb")

    def _parse(self, stream: IO[bytes] | None) -> Iterator[ox.Quad]:
        path = None if stream else self.path
        return ox.parse(stream, self.format, path=path, rename_blank_nodes=True)
