"""Content negotiation: parse ``Accept`` (q-values, wildcards, specificity) and pick a media type.

``choose(accept, offered)`` returns the offered media type the client prefers most; among equal
preferences the server's order decides, so the first offered type is the default. A ``format``
parameter (``json``, ``turtle``, or a media type) overrides the header, as a convenience for
links and browsers. ``for_result`` is that choice for a query's result, by every endpoint that
answers queries.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kgservice.errors import NotAcceptable
from kgservice.query.execution import Evaluated, Solutions

RESULTS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
)
GRAPHS = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
FORMAT_NAMES: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How precisely this range names ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``,
        -1 not at all."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed parts are ignored, q defaults to 1."""
    return [r for r in (_media_range(part) for part in header.split(",")) if r is not None]


def _media_range(part: str) -> MediaRange | None:
    name, *params = (p.strip() for p in part.split(";"))
    kind, slash, sub = name.lower().partition("/")
    if not slash or not kind or not sub or (kind == "*" and sub != "*"):
        return None
    q = 1.0
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            q = _quality(value.strip())
    return MediaRange(kind, sub, q)


def _quality(value: str) -> float:
    try:
        return min(max(float(value), 0.0), 1.0)
    except ValueError:
        return 0.0


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q the client gives ``media_type``: that of the most specific range naming it."""
    best, best_specificity = 0.0, -1
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best_specificity:
            best, best_specificity = media_range.q, specificity
    return best


def choose(accept: str | None, offered: Sequence[str], *, format: str | None = None) -> str:
    """The offered media type to answer with, or ``NotAcceptable``."""
    if format:
        wanted = FORMAT_NAMES.get(format.lower(), format.lower())
        if wanted in offered:
            return wanted
        raise _not_acceptable(f"format={format}", offered)
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    scored = [(quality(ranges, media_type), -i, media_type) for i, media_type in enumerate(offered)]
    q, _, media_type = max(scored)
    if q <= 0:
        raise _not_acceptable(accept, offered)
    return media_type


def for_result(result: Evaluated, accept: str | None, *, format: str | None = None) -> str:
    """The media type to write a query's result in."""
    return choose(accept, offered_for(result), format=format)


def offered_for(result: Evaluated) -> Sequence[str]:
    """The media types a result can be written in, the default first."""
    if isinstance(result, bool):  # CSV and TSV have no form for a boolean
        return [m for m in RESULTS if m not in {"text/csv", "text/tab-separated-values"}]
    return RESULTS if isinstance(result, Solutions) else GRAPHS


def _not_acceptable(asked: str, offered: Sequence[str]) -> NotAcceptable:
    return NotAcceptable(
        f"ไม่มีรูปแบบที่ตรงกับที่ขอ (none of the available formats matches {asked!r})",
        available=list(offered),
    )
