"""A SELECT query's final ``ORDER BY``, done here on the fetched rows instead of in the engine.

Oxigraph sorts by comparing terms through its string table: every comparison of two IRIs or
long literals reads both strings back from the store, so sorting tens of thousands of rows can
cost more than finding them, where Python sorts the terms it has already fetched in milliseconds
(figures in ``docs/benchmarks/profiles.md``). Only the simple, common case is taken out of the
engine: a ``SELECT`` whose last clause is ``ORDER BY`` over projected variables, each plain,
``ASC(?v)`` or ``DESC(?v)``, with no ``LIMIT``, ``OFFSET`` or ``VALUES`` after it (which would make
the order decide which rows come back). Anything else stays in the text, for the engine.

The order is SPARQL's (section 15.1): unbound first, then blank nodes, IRIs by their text,
literals; numbers by value (NaN after them), other literals by their text, then datatype and
language, where SPARQL leaves the order between kinds of literal to the implementation. Times of
day with a date (``xsd:dateTime``) go by the moment they name, one without a time zone taken as
UTC. Where a column mixes kinds that SPARQL does not compare with each other (a number and a
string, a date-time and an ``xsd:date``), Oxigraph compares such a pair by its text, which is not
a consistent order (9 < 10 by value, 10 < "2" and "2" < 9 by text); here such a column gets one
fixed order instead: numbers, then the other literals by their text, then date-times. Both are
SPARQL's order; they differ only where SPARQL leaves it open.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kgservice.query.text import Token

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {
    f"{XSD}{name}"
    for name in (
        "integer decimal float double nonPositiveInteger negativeInteger long int short byte "
        "nonNegativeInteger unsignedLong unsignedInt unsignedShort unsignedByte positiveInteger"
    ).split()
}
_DATE_TIME = f"{XSD}dateTime"
SortKey = tuple[object, ...]


@dataclass(frozen=True)
class Condition:
    variable: str
    descending: bool


@dataclass(frozen=True)
class FinalOrder:
    """A final ``ORDER BY`` the service does itself: where it starts in the text, its conditions."""

    start: int
    conditions: tuple[Condition, ...]


def final_order(found: Sequence[Token]) -> FinalOrder | None:
    """The query's final ``ORDER BY``, from its tokens, when the rows can be sorted here."""
    at = _order_by(found)
    order = _conditions(found[at + 2 :]) if at is not None else None
    if at is None or not order or not _projected(found, {c.variable for c in order}):
        return None
    return FinalOrder(found[at].start, order)


def sort(
    rows: list[ox.QuerySolution], variables: Sequence[str], order: Sequence[Condition]
) -> list[ox.QuerySolution]:
    """The rows (with columns ``variables``) in ``order``; rows equal on every condition keep
    the engine's order."""
    for condition in reversed(order):  # stable sorts, the last condition first
        column = variables.index(condition.variable)  # by position: several times faster
        rows.sort(key=_by(column), reverse=condition.descending)
    return rows


def term_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> SortKey:
    if term is None:
        return (0,)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    if isinstance(term, ox.Triple):  # a triple term (RDF 1.2) after every literal
        return (4, str(term))
    datatype = term.datatype.value
    if datatype in _NUMERIC:
        try:
            number = Decimal(term.value.strip())
        except InvalidOperation:  # an ill-formed number sorts with the other literals
            pass
        else:  # NaN compares with nothing: after every number, as Oxigraph puts it
            return (3, 0, 1, Decimal(0)) if number.is_nan() else (3, 0, 0, number)
    elif datatype == _DATE_TIME:
        try:
            moment = datetime.fromisoformat(term.value.strip())
        except ValueError:  # an ill-formed time too
            pass
        else:
            return (3, 2, (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())
    return (3, 1, term.value, datatype, term.language or "")


def _by(column: int) -> Callable[[ox.QuerySolution], SortKey]:
    def key(row: ox.QuerySolution) -> SortKey:
        return term_key(row[column])

    return key


def _order_by(found: Sequence[Token]) -> int | None:
    """Where the outermost query's ``ORDER BY`` starts, if the query is a SELECT that has one."""
    depth, form, at = 0, "", None
    for i, token in enumerate(found):
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
        elif depth == 0 and token.kind == "word":
            word = token.text.upper()
            form = form or (word if word in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"} else "")
            nxt = found[i + 1] if i + 1 < len(found) else None
            if word == "ORDER" and nxt is not None and nxt.text.upper() == "BY":
                at = i
    return at if form == "SELECT" else None


def _conditions(rest: Sequence[Token]) -> tuple[Condition, ...] | None:
    """``?a DESC(?b) ASC(?c)``, the whole rest of the query, or None."""
    found, i = [], 0
    while i < len(rest):
        token = rest[i]
        if token.kind == "var":
            found.append(Condition(token.text[1:], descending=False))
            i += 1
            continue
        direction = token.text.upper() if token.kind == "word" else ""
        call = [t.text for t in rest[i + 1 : i + 4]]
        if direction not in {"ASC", "DESC"} or len(call) < 3 or call[0] != "(" or call[2] != ")":
            return None
        if rest[i + 2].kind != "var":
            return None
        found.append(Condition(call[1][1:], descending=direction == "DESC"))
        i += 4
    return tuple(found)


def _projected(found: Sequence[Token], variables: set[str]) -> bool:
    """Whether the outermost SELECT projects each of ``variables`` (``*`` projects them all)."""
    start = next(i for i, t in enumerate(found) if t.kind == "word" and t.text.upper() == "SELECT")
    named, parens, after_as = set(), 0, False
    for token in found[start + 1 :]:
        if (token.kind == "word" and token.text.upper() == "WHERE") or token.text == "{":
            break
        if token.text == "*" and parens == 0:
            return True
        if token.kind == "other" and token.text in "()":
            parens += 1 if token.text == "(" else -1
        elif token.kind == "var" and (parens == 0 or after_as):
            named.add(token.text[1:])
        after_as = token.kind == "word" and token.text.upper() == "AS"
    return variables <= named
