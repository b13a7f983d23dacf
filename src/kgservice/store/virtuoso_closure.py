"""Virtuoso's ``*`` paths towards a fixed end, answered before the query they stand in.

Virtuoso 7.2 evaluates a pattern such as ``?type rdfs:subClassOf* tp:Agreement`` wrongly once
its start is bound by the patterns around it: it drops rows (measured: two agreements' four
parties gave one row; a grouped count of a province's local governments gave 1 instead of 6).
Asked alone, it answers the same pattern right. So each such pattern (a variable, one IRI's
``*`` path, an IRI) is asked alone first, and its answers take its place as ``VALUES``, which
Virtuoso joins as SPARQL 1.1 does (blank nodes left out: ``VALUES`` cannot hold them, and no
pattern outside could join them anyway).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.query.binding import Term
from kgservice.query.text import Token, tokens

_NAMES = ("iri", "pname")
_ENDS = (".", "}")
_QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_SCOPES = ("GRAPH", "SERVICE")

Ask = Callable[[str], Iterator[Term]]
"""Runs a SELECT of one variable; its values."""


@dataclass(frozen=True)
class Closure:
    """``?var <path>* <end>`` at ``start:stop`` of the text (a following ``.`` included)."""

    start: int
    stop: int
    variable: str
    path: str
    end: str


def resolved(sparql: str, ask: Ask) -> str:
    """``sparql`` with each closure replaced by ``VALUES`` of its answers."""
    found = list(tokens(sparql))
    closures = list(_closures(found))
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
    # The end itself is always an answer (a path of length 0), held in the store or not.
    return (
        f"SELECT DISTINCT {closure.variable} WHERE {{ {{ {closure.variable} {closure.path}* "
        f"{closure.end} }} UNION {{ BIND({closure.end} AS {closure.variable}) }} }}"
    )


def _closures(found: Sequence[Token]) -> Iterator[Closure]:
    scoped = _in_graph_or_service(found)
    for i in range(len(found) - 4):
        variable, path, star, end, after = found[i : i + 5]
        if (
            variable.kind == "var"
            and path.kind in _NAMES
            and (star.kind, star.text) == ("other", "*")
            and end.kind in _NAMES
            and after.kind == "other"
            and after.text in _ENDS
            and not _after_path_step(found, i)
            and not scoped[i]
        ):
            stop = after.start + 1 if after.text == "." else after.start
            yield Closure(variable.start, stop, variable.text, path.text, end.text)


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
