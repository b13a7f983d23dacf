"""Parameters bound as RDF terms in a query's text, the one way both store backends bind them.

Each bound variable is replaced by its term inside the patterns, as pyoxigraph's substitutions
(SPARQL 1.2's pre-binding) would: a FILTER in a nested group sees the value. Names that must
stay variables (projections, ``VALUES`` variable lists, ``AS ?name``, ``GROUP BY``, ``ORDER BY``,
everything outside braces) are bound by ``VALUES``, first thing in the WHERE pattern, so the
rows still carry them. The terms are written by pyoxigraph from checked RDF terms, never spliced
from user text.

Why in the text rather than through pyoxigraph's ``substitutions``: pyoxigraph plans the query
before the value is known, which made some queries many times slower
(``docs/benchmarks/profiles.md``, section 1); a remote endpoint has no substitutions at all.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.query.text import Token

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Slot:
    """A variable inside a pattern: where its name starts and ends in the text."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Sites:
    """Where a binding writes into a text: the WHERE pattern's ``{`` (None: the text has no
    pattern) and the variables a term replaces."""

    pattern: int | None
    slots: tuple[Slot, ...]


def sites(found: Sequence[Token], end: int) -> Sites:
    """The binding sites among a text's tokens, up to the character ``end``."""
    slots = (Slot(t.text[1:], t.start, t.start + len(t.text)) for t in _replaceable(found))
    return Sites(_pattern_start(found), tuple(s for s in slots if s.end <= end))


def bind(text: str, at: Sites, bindings: Mapping[str, Term]) -> str:
    """``text`` with each variable of ``bindings`` written as its term in the patterns and bound
    by ``VALUES`` at the start of the WHERE pattern."""
    if not bindings:
        return text
    if at.pattern is None:
        raise ValueError("the query has no WHERE pattern to bind values in")
    terms = {name: str(term) for name, term in bindings.items()}
    pieces, last, moved = [], 0, 0
    for slot in (s for s in at.slots if s.name in terms):
        pieces += [text[last : slot.start], terms[slot.name]]
        last = slot.end
        if slot.start < at.pattern:  # in a CONSTRUCT template, before the pattern
            moved += len(terms[slot.name]) - (slot.end - slot.start)
    return _values_at("".join(pieces) + text[last:], at.pattern + moved, terms)


def _values_at(text: str, brace: int, terms: Mapping[str, str]) -> str:
    names = " ".join(f"?{name}" for name in terms)
    values = f" VALUES ({names}) {{ ({' '.join(terms.values())}) }} "
    return text[: brace + 1] + values + text[brace + 1 :]


def _pattern_start(found: Sequence[Token]) -> int | None:
    # The pattern starts at the first "{" after WHERE, or after SELECT/ASK/DESCRIBE (where WHERE
    # is optional); a CONSTRUCT template comes before its WHERE and is skipped.
    ready = False
    for token in found:
        if token.kind == "word" and token.text.upper() in {"WHERE", "SELECT", "ASK", "DESCRIBE"}:
            ready = True
        elif ready and token.text == "{":
            return token.start
    return None


def _replaceable(found: Sequence[Token]) -> Iterator[Token]:
    """The variables that stand inside a pattern or a template, not in a declaration."""
    depth, declaring, after_as = 0, False, False
    for token in found:
        word = token.text.upper() if token.kind == "word" else ""
        if word in {"SELECT", "VALUES", "GROUP", "ORDER"}:
            declaring = True
        elif word == "WHERE" or token.text == "{":
            declaring = False
        if token.text in "{}" and token.kind == "other":
            depth += 1 if token.text == "{" else -1
        elif token.kind == "var" and depth > 0 and not declaring and not after_as:
            yield token
        after_as = word == "AS"
