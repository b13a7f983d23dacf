"""Parsing RDF that arrives from outside (HTTP bodies, files) safely.

Every body goes through pyoxigraph's streaming parsers, never rdflib, so memory grows with the
number of triples and not with an intermediate document tree. Hostile input is refused before it
can cost anything: bodies over the limit, bytes that are not UTF-8, JSON-LD that would need a
remote ``@context`` (pyoxigraph has no document loader unless one is given, so it cannot fetch),
and RDF/XML with a DOCTYPE (pyoxigraph expands internal entities, so "billion laughs" is refused
before parsing).
"""

import codecs
import re
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import PayloadTooLarge, RdfSyntaxError, UnsupportedMediaType
from kgservice.mediatype import content_type

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
    max_bytes: int | None = None,
) -> ox.Dataset:
    """Parse ``data`` as ``media_type`` into a dataset (triple formats land in the default graph).

    Raises ``PayloadTooLarge`` over ``max_bytes``, ``UnsupportedMediaType`` for a format we do not
    read, and ``RdfSyntaxError`` (with ``line`` and ``column``, or ``byte`` for bad UTF-8) for
    anything that does not parse.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise PayloadTooLarge(
            f"the body has {len(data)} bytes; the limit is {max_bytes}", limit=max_bytes
        )
    fmt = rdf_format(media_type)
    check_utf8(data)
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_declarations(data)
    try:
        return ox.Dataset(ox.parse(data, format=fmt, base_iri=base_iri))
    except SyntaxError as e:
        raise syntax_error(e, fmt) from None


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


def syntax_error(error: SyntaxError, fmt: ox.RdfFormat) -> RdfSyntaxError:
    """Turn a pyoxigraph parser error into ours, keeping its line and column."""
    message = str(error.msg if error.msg else error)
    details: dict[str, object] = {"format": fmt.name}
    found = _POSITION.search(message)
    if found:
        details.update(line=int(found.group(1)), column=int(found.group(2)))
    elif error.lineno is not None:
        details.update(line=error.lineno, column=error.offset)
        message = f"Parser error at line {error.lineno} column {error.offset}: {message}"
    if "LoadDocumentCallback" in message:
        message = "JSON-LD with a remote @context is refused; put the context inline"
    return RdfSyntaxError(f"{fmt.name}: {message}", **details)
