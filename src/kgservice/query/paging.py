"""A page of a named query's answer: ``limit`` and ``offset``, as in SPARQL's own solution
modifiers, over the rows in the query's stated order.

The whole answer is computed (and kept) once; a page is a slice of its rows, so that paging
through it costs no more queries and every page agrees with the others. The total number of rows
goes with every page (``Total-Count``), and a ``Link`` header (RFC 8288) names the next and the
previous page, so that a client can walk the pages without counting. The one exception is a
national answer kept by province whose parts are not all computed yet: its page comes from the
parts up to its end, without the total (``web.routers.queries``).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from kgservice.errors import BadRequest
from kgservice.query.execution import Evaluated, Solutions

PARAMETERS = ("limit", "offset")
_COUNT = re.compile(r"\d{1,9}")


@dataclass(frozen=True)
class Page:
    limit: int | None = None
    """At most this many rows (None: all of them)."""
    offset: int = 0

    @classmethod
    def of(cls, params: Mapping[str, str]) -> "Page":
        """The page ``params`` ask for; a value that is no whole number of rows is a BadRequest."""
        limit, offset = (params.get(name) for name in PARAMETERS)
        return cls(
            None if limit is None else _count("limit", limit), _count("offset", offset or "0")
        )

    @property
    def whole(self) -> bool:
        return self.limit is None and self.offset == 0

    def of_result(self, result: Evaluated) -> Evaluated:
        """The rows of this page (a boolean or a graph result is not paged)."""
        if self.whole or not isinstance(result, Solutions):
            return result
        end = None if self.limit is None else self.offset + self.limit
        return Solutions(result.variables, result.rows[self.offset : end])

    def links(self, path: str, params: Mapping[str, str], total: int) -> str | None:
        """A ``Link`` header value with the next and previous pages, if there are any."""
        if self.limit is None:
            return None
        found = []
        if self.offset + self.limit < total:
            found.append((self.offset + self.limit, "next"))
        if self.offset > 0:
            found.append((max(0, self.offset - self.limit), "prev"))
        links = [f'<{path}?{_query(params, self.limit, at)}>; rel="{rel}"' for at, rel in found]
        return ", ".join(links) or None


def _count(name: str, value: str) -> int:
    if not _COUNT.fullmatch(value.strip()):
        raise BadRequest(
            f"'{name}' ต้องเป็นจำนวนเต็มไม่ติดลบ ({name} must be a whole number, not '{value}')",
            parameter=name,
        )
    return int(value)


def _query(params: Mapping[str, str], limit: int, offset: int) -> str:
    kept = [(k, v) for k, v in params.items() if k not in PARAMETERS]
    return urlencode([*kept, ("limit", str(limit)), ("offset", str(offset))])
