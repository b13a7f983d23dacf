"""Virtuoso's ``*`` paths with one fixed end, answered before the query they stand in.

Virtuoso 7.2 evaluates such a pattern wrongly once it is joined with the patterns around it.
Towards a fixed end (``?type rdfs:subClassOf* tp:Agreement``) it drops rows once the start is
bound by them (measured: two agreements' four parties gave one row; a grouped count of a
province's local governments gave 1 instead of 6). From a fixed start (``<project>
(tp:partOf|tp:supports)* ?from`` joined with ``?from ?link ?step``) it drops rows on a server
that has held and dropped other graphs (1 row instead of 14). Asked alone, it answers the same
pattern right. So each such pattern (a variable, one IRI's or a group of IRIs' ``*`` path, an
IRI, or the other way round) is asked alone first, and its answers take its place as
``VALUES``, which Virtuoso joins as SPARQL 1.1 does (blank nodes left out: ``VALUES`` cannot
hold them).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.query.binding import Term
from kgservice.query.text import Token, tokens

_NAMES = ("iri", "pname")
_ENDS = (".", "}")
_PATH_SIGNS = ("|", "/", "^")
_QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_SCOPES = ("GRAPH", "SERVICE")

Ask = Callable[[str], Iterator[Term]]
"""Runs a SELECT of one variable; its values."""


@dataclass(frozen=True)
class Closure:
    """``?var <path>* <end>`` or ``<start> <path>* ?var`` (``pattern``) at ``start:stop`` of
    the text (a following ``.`` included); ``fixed`` is its IRI end."""

    start: int
    stop: int
    variable: str
    pattern: str
    fixed: str


def resolved(sparql: str, ask: Ask) -> str:
    """``sparql`` with each closure replaced by ``VALUES`` of its answers."""
    found = list(tokens(sparql))
    closures = list(_closures(sparql, found))
    if not closures:
        return sparql
    prologue = sparql[: _body_start(found)]
    pieces, done = [], 0
    for closure in closures:
        answers = ask(prologue + _alone(closure))
        values = " ".join(str(t) for t in answers if not isinstance(t, ox.BlankNode))
        pieces += [sparql[done : closure.start], f"VALUES {closure.variable} {{ {values} }} "]
        done = closure.stop
    return "".join(pieces) + sparql[done:]


def _alone(closure: Closure) -> str:
    # The fixed end itself is always an answer (a path of length 0), held in the store or not.
    return (
        f"SELECT DISTINCT {closure.variable} WHERE {{ {{ {closure.pattern} }} "
        f"UNION {{ BIND({closure.fixed} AS {closure.variable}) }} }}"
    )


def _closures(sparql: str, found: Sequence[Token]) -> Iterator[Closure]:
    scoped = _in_graph_or_service(found)
    for i in range(len(found) - 4):
        if not (_after_path_step(found, i) or scoped[i]):
            closure = _closure_at(sparql, found, i)
            if closure is not None:
                yield closure


def _closure_at(sparql: str, found: Sequence[Token], i: int) -> Closure | None:
    """The closure beginning at ``i``, if one does."""
    star = _path_end(found, i + 1)
    if star is None or star + 2 >= len(found) or not _sign(found[star], "*"):
        return None
    first, last, after = found[i], found[star + 1], found[star + 2]
    if first.kind == "var" and last.kind in _NAMES:
        variable, fixed = first.text, last.text
    elif first.kind in _NAMES and last.kind == "var":
        variable, fixed = last.text, first.text
    else:
        return None
    if not any(_sign(after, end) for end in _ENDS):
        return None
    stop = after.start + 1 if after.text == "." else after.start
    pattern = sparql[first.start : last.start + len(last.text)]
    return Closure(first.start, stop, variable, pattern, fixed)


def _path_end(found: Sequence[Token], i: int) -> int | None:
    """Where the path starting at ``i`` ends: one IRI, or a group of IRIs joined by ``|``,
    ``/`` or ``^``; None for anything else."""
    if found[i].kind in _NAMES:
        return i + 1
    if not _sign(found[i], "("):
        return None
    j = i + 1
    while j < len(found) and (
        found[j].kind in _NAMES or any(_sign(found[j], s) for s in _PATH_SIGNS)
    ):
        j += 1
    closed = j < len(found) and _sign(found[j], ")") and j > i + 1
    return j + 1 if closed else None


def _in_graph_or_service(found: Sequence[Token]) -> list[bool]:
    """Per token, whether it stands inside a ``GRAPH`` or ``SERVICE`` group, where a closure
    asked alone (over the default graph) would not answer what the pattern asks."""
    scoping = {  # the keyword, SILENT perhaps, its graph or endpoint, then the group
        i + 2 + (found[i + 1].text.upper() == "SILENT")
        for i, t in enumerate(found[:-1])
        if t.kind == "word" and t.text.upper() in _SCOPES
    }
    scoped, opened = [], list[bool]()
    for i, token in enumerate(found):
        if token.kind == "other" and token.text == "{":
            opened.append(i in scoping or (bool(opened) and opened[-1]))
        elif token.kind == "other" and token.text == "}" and opened:
            opened.pop()
        scoped.append(bool(opened) and opened[-1])
    return scoped


def _after_path_step(found: Sequence[Token], i: int) -> bool:
    """Whether the variable at ``i`` continues a pattern before it rather than beginning one
    (which it does after ``{``, ``}``, ``.`` or the ``)`` of a FILTER or BIND)."""
    return i > 0 and not (found[i - 1].kind == "other" and found[i - 1].text in "{}.)")


def _body_start(found: Sequence[Token]) -> int:
    """Where the prologue (``BASE`` and ``PREFIX`` declarations) ends."""
    return next(t.start for t in found if t.kind == "word" and t.text.upper() in _QUERY_FORMS)


def _sign(token: Token, text: str) -> bool:
    return token.kind == "other" and token.text == text
