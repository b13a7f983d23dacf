"""Parsing RDF that arrives from outside (HTTP bodies, files) safely.

Every body goes through pyoxigraph's streaming parsers, never rdflib, so memory grows with the
number of triples and not with an intermediate document tree. Hostile input is refused before it
can cost anything: bodies over the limit, bytes that are not UTF-8, JSON-LD that would need a
remote ``@context`` (pyoxigraph has no document loader unless one is given, so it cannot fetch),
and RDF/XML with a DOCTYPE (pyoxigraph expands internal entities, so "billion laughs" is refused
before parsing). Past the limits of ``BodyLimits`` (bytes, triples, blank nodes, nesting depth)
parsing stops with 413 or 422. A leading byte order mark is dropped, as editors on Windows write
one and no format needs it.

Parsing takes a core for as long as the body needs: callers on the event loop run it in a thread.
"""

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kgservice.errors import NestingTooDeep, PayloadTooLarge, RdfSyntaxError, UnsupportedMediaType
from kgservice.mediatype import content_type
from kgservice.nesting import json_depth, xml_depth
from kgservice.settings import Settings

MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

EXTENSIONS: dict[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}

_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_POSITION = re.compile(r"line (\d+) (?:column|between columns) (\d+)")
_UTF8_CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BodyLimits:
    """What one body may hold; ``None`` is no limit (the operator's own files)."""

    max_bytes: int | None = None
    max_triples: int | None = None
    max_blank_nodes: int | None = None
    max_depth: int | None = None

    @classmethod
    def of(cls, settings: Settings) -> "BodyLimits":
        return cls(
            settings.max_body_bytes,
            settings.max_triples_per_body,
            settings.max_blank_nodes_per_body,
            settings.max_nesting_depth,
        )


NO_LIMITS = BodyLimits()


@dataclass
class Tally:
    """Triples and blank nodes seen so far in one body (all the documents of a multipart one)."""

    limits: BodyLimits
    triples: int = 0
    blank_nodes: set[str] = field(default_factory=set)

    def count(self, quad: ox.Quad) -> None:
        self.triples += 1
        if self.limits.max_triples is not None and self.triples > self.limits.max_triples:
            raise _over("triples", "ทริปเปิล", self.limits.max_triples, "MAX_TRIPLES_PER_BODY")
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.BlankNode):
                self._blank(term)

    def _blank(self, node: ox.BlankNode) -> None:
        self.blank_nodes.add(node.value)
        limit = self.limits.max_blank_nodes
        if limit is not None and len(self.blank_nodes) > limit:
            raise _over("blank nodes", "โหนดว่าง", limit, "MAX_BLANK_NODES_PER_BODY")


def _over(what: str, thai: str, limit: int, setting: str) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"เนื้อหามี{thai}เกิน {limit:,} (the body has more than {limit:,} {what}; "
        f"the limit is KGSERVICE_{setting})",
        limit=limit,
        setting=f"KGSERVICE_{setting}",
    )


def media_type_for_path(path: str | Path) -> str:
    """The media type of an RDF file from its extension, e.g. ``text/turtle`` for ``x.ttl``."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise UnsupportedMediaType(
            f"cannot tell the RDF format of {Path(path).name!r}; use one of {known}",
            path=str(path),
        )
    return EXTENSIONS[suffix]


def rdf_format(media_type: str) -> ox.RdfFormat:
    """The parser for a Content-Type value; a charset other than UTF-8 is refused."""
    parsed = content_type(media_type)
    if parsed.media_type not in MEDIA_TYPES or not parsed.utf8:
        raise UnsupportedMediaType(
            f"unsupported media type {media_type!r}; supported (UTF-8): "
            + ", ".join(sorted(MEDIA_TYPES)),
            media_type=media_type,
            supported=sorted(MEDIA_TYPES),
        )
    return MEDIA_TYPES[parsed.media_type]


def parse_rdf(
    data: bytes,
    media_type: str,
    *,
    base_iri: str | None = None,
    limits: BodyLimits = NO_LIMITS,
) -> ox.Dataset:
    """Parse ``data`` as ``media_type`` into a dataset (triple formats land in the default graph).

    Raises ``PayloadTooLarge`` past the limits of bytes, triples or blank nodes,
    ``NestingTooDeep`` past the nesting depth, ``UnsupportedMediaType`` for a format we do not
    read, and ``RdfSyntaxError`` (with ``line`` and ``column``, or ``byte`` for bad UTF-8) for
    anything that does not parse.
    """
    return ox.Dataset(read_quads(data, media_type, base_iri=base_iri, limits=limits))


def read_quads(
    data: bytes,
    media_type: str,
    *,
    base_iri: str | None = None,
    limits: BodyLimits = NO_LIMITS,
    tally: Tally | None = None,
) -> Iterator[ox.Quad]:
    """The quads of ``data``, checked as ``parse_rdf`` says; ``tally`` counts across documents."""
    fmt = rdf_format(media_type)
    data = checked(data, fmt, limits)
    return _counted(data, fmt, base_iri, tally or Tally(limits))


def checked(data: bytes, fmt: ox.RdfFormat, limits: BodyLimits) -> bytes:
    """What can be refused before parsing; the data without a leading byte order mark."""
    if limits.max_bytes is not None and len(data) > limits.max_bytes:
        raise PayloadTooLarge(
            f"the body has {len(data)} bytes; the limit is {limits.max_bytes}",
            limit=limits.max_bytes,
        )
    check_utf8(data)
    data = data.removeprefix(BOM)
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_declarations(data)
    if limits.max_depth is not None:
        check_depth(data, fmt, limits.max_depth)
    return data


def check_depth(data: bytes, fmt: ox.RdfFormat, limit: int) -> None:
    if fmt == ox.RdfFormat.RDF_XML:
        what, depth = "XML elements", xml_depth(data, stop_above=limit)
    elif fmt == ox.RdfFormat.JSON_LD:
        what, depth = "JSON objects and arrays", json_depth(data, stop_above=limit)
    else:
        return
    if depth > limit:
        raise NestingTooDeep(
            f"เนื้อหาซ้อนกันลึกเกิน {limit} ชั้น ({what} nested more than {limit} deep; "
            "the limit is KGSERVICE_MAX_NESTING_DEPTH)",
            limit=limit,
            setting="KGSERVICE_MAX_NESTING_DEPTH",
        )


def _counted(
    data: bytes, fmt: ox.RdfFormat, base_iri: str | None, tally: Tally
) -> Iterator[ox.Quad]:
    try:
        for quad in ox.parse(data, format=fmt, base_iri=base_iri):
            tally.count(quad)
            yield quad
    except SyntaxError as e:
        raise syntax_error(e, fmt, data) from None


def check_utf8(data: bytes) -> None:
    """Decode in chunks (no full copy) so a bad byte is reported by its offset."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, len(data), _UTF8_CHUNK):
        try:
            decoder.decode(view[start : start + _UTF8_CHUNK])
        except UnicodeDecodeError as e:
            raise _bad_utf8(start + e.start) from None
    pending = decoder.getstate()[0]
    if pending:
        raise _bad_utf8(len(data) - len(pending))


def _bad_utf8(offset: int) -> RdfSyntaxError:
    message = f"the body is not valid UTF-8 at byte offset {offset} (counting from 0)"
    return RdfSyntaxError(message, byte=offset)


def refuse_xml_declarations(data: bytes) -> None:
    """No DOCTYPE or ENTITY at all: RDF/XML needs neither, and entities are an attack vector."""
    found = _XML_DECLARATIONS.search(data)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        column = found.start() - (data.rfind(b"\n", 0, found.start()) + 1) + 1
        message = "RDF/XML with a DOCTYPE or entity declaration is refused"
        raise RdfSyntaxError(f"{message} (line {line} column {column})", line=line, column=column)


def syntax_error(error: SyntaxError, fmt: ox.RdfFormat, data: bytes) -> RdfSyntaxError:
    """Turn a pyoxigraph parser error into ours, with its line and column."""
    message = str(error.msg if error.msg else error)
    details: dict[str, object] = {"format": fmt.name}
    found = _POSITION.search(message)
    if found:
        details.update(line=int(found.group(1)), column=int(found.group(2)))
    elif error.lineno is not None:
        details.update(line=error.lineno, column=error.offset)
        message = f"Parser error at line {error.lineno} column {error.offset}: {message}"
    elif fmt == ox.RdfFormat.RDF_XML:
        line, column = line_and_column(data, xml_error_offset(data))
        details.update(line=line, column=column)
        message = f"Parser error at line {line} column {column}: {message}"
    if "LoadDocumentCallback" in message:
        message = "JSON-LD with a remote @context is refused; put the context inline"
    return RdfSyntaxError(f"{fmt.name}: {message}", **details)


def xml_error_offset(data: bytes) -> int:
    """Where the RDF/XML parser finds its error: the start of the markup it was reading.

    Its errors carry no position, so the body is parsed again from a reader that hands it the
    bytes one at a time near the error (found first in big pieces): it fails right after reading
    the markup at fault.
    """
    coarse = _Trickle(data, slow_from=len(data))
    _fail(coarse)
    fine = _Trickle(data, slow_from=max(0, coarse.offset - 2 * _Trickle.PIECE))
    _fail(fine)
    return max(0, data.rfind(b"<", 0, fine.offset))


def line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


class _Trickle(io.RawIOBase):
    """The data in big pieces up to ``slow_from``, then a byte at a time."""

    PIECE = 1 << 16

    def __init__(self, data: bytes, *, slow_from: int) -> None:
        self.data, self.slow_from, self.offset = data, slow_from, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = self.PIECE if self.offset < self.slow_from else 1
        piece = self.data[self.offset : self.offset + min(size, len(buffer))]
        buffer[: len(piece)] = piece
        self.offset += len(piece)
        return len(piece)


def _fail(reader: _Trickle) -> None:
    try:
        _drain(ox.parse(cast(IO[bytes], reader), format=ox.RdfFormat.RDF_XML))
    except SyntaxError:
        pass


def _drain(quads: Iterable[ox.Quad]) -> None:
    for _ in quads:
        pass
