"""A small SPARQL tokenizer that knows strings, comments and IRIs.

It answers questions about a query's text without parsing it fully: which endpoints ``SERVICE``
and ``LOAD`` would contact, and whether the query names its own dataset (``FROM``). A keyword
inside a string literal, a comment, an IRI, a variable or a prefixed name is not a keyword.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<bnode>_:[\w.-]*)
    | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%.-]|\\.)*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SKIPPED = {"comment", "space"}


def _candidates(*keywords: str) -> list[re.Pattern[bytes]]:
    """Patterns for every place one of ``keywords`` could stand, found without tokenizing: a
    letter, ``_``, ``?``, ``$``, ``:`` or ``@`` just before a word makes it part of a name, a
    variable or a language tag. They also find words in strings, comments and IRIs, which the
    tokenizer then sets aside. Searched in the text's UTF-8 in lower case (``_may_hold``)."""
    lowered = (keyword.lower() for keyword in keywords)
    return [re.compile(rf"{k}(?<![a-z_?$:@]{k})(?!\w)".encode()) for k in lowered]


def _may_hold(sparql: str, candidates: list[re.Pattern[bytes]]) -> bool:
    text = sparql.encode("utf-8", "surrogatepass").lower()  # ASCII letters only are lowered
    return any(candidate.search(text) for candidate in candidates)


def _first_keyword(*keywords: str) -> re.Pattern[str]:
    """Matches from the start up to the first of ``keywords`` that the tokenizer would read as a
    word: token after token, each taken whole (an atomic group), as ``tokens`` reads them. The
    regular expression engine does in C what a loop over ``tokens`` does in Python."""
    keyword = rf"(?i:{'|'.join(keywords)})(?![\w.-]*:)(?!\w)"  # not a prefixed name, nor longer
    return re.compile(rf"(?>{_TOKEN.pattern})*?{keyword}", re.VERBOSE | re.DOTALL)


_REMOTE_CANDIDATES = _candidates("SERVICE", "LOAD")
_FROM_CANDIDATES = _candidates("FROM")
_FROM = _first_keyword("FROM")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(sparql: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in _SKIPPED:
            yield Token(kind, match.group(), match.start())


@dataclass(frozen=True)
class Remote:
    """A ``SERVICE`` or ``LOAD`` in the text: the keyword and its IRI (None for a variable)."""

    keyword: str
    iri: str | None


def remote_operations(sparql: str) -> list[Remote]:
    """Every SERVICE and LOAD with the IRI it would contact, prefixes and BASE resolved."""
    if not _may_hold(sparql, _REMOTE_CANDIDATES):
        return []
    found: list[Remote] = []
    prefixes: dict[str, str] = {}
    base = ""
    stream = tokens(sparql)
    for token in stream:
        keyword = token.text.upper() if token.kind == "word" else ""
        if keyword == "PREFIX":
            name, iri = next(stream, None), next(stream, None)
            if name is not None and iri is not None and iri.kind == "iri":
                prefixes[name.text[:-1]] = urljoin(base, iri.text[1:-1])
        elif keyword == "BASE":
            iri = next(stream, None)
            base = urljoin(base, iri.text[1:-1]) if iri is not None and iri.kind == "iri" else base
        elif keyword in {"SERVICE", "LOAD"}:
            target = next(stream, None)
            if target is not None and target.text.upper() == "SILENT":
                target = next(stream, None)
            found.append(Remote(keyword, _resolve(target, prefixes, base)))
    return found


def sets_own_dataset(sparql: str) -> bool:
    """True when the query has FROM or FROM NAMED (its dataset then overrides the union)."""
    return _may_hold(sparql, _FROM_CANDIDATES) and _FROM.match(sparql) is not None


def substitute(sparql: str, bindings: Mapping[str, str]) -> str:
    """The query with each variable in ``bindings`` replaced by its term inside the patterns.

    Like pyoxigraph's substitutions (SPARQL 1.2's pre-binding): a FILTER in a nested group sees
    the value. Names that must stay variables are left alone: projections, ``VALUES`` variable
    lists, ``AS ?name``, ``GROUP BY`` and ``ORDER BY``, and everything outside braces; bind
    them with ``with_values`` too. ``bindings`` maps names to terms in SPARQL syntax.
    """
    if not bindings:
        return sparql
    pieces, last = [], 0
    for start, end in _slots(sparql, frozenset(bindings)):
        pieces += [sparql[last:start], bindings[sparql[start + 1 : end]]]
        last = end
    return "".join(pieces) + sparql[last:]


@lru_cache(maxsize=256)
def _slots(sparql: str, names: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """Where ``substitute`` puts a term: the start and end of each variable named in ``names``.
    Kept, so that a named query read once is bound in microseconds with each new value."""
    found = (t for t in _replaceable(sparql) if t.text[1:] in names)
    return tuple((t.start, t.start + len(t.text)) for t in found)


def _replaceable(sparql: str) -> Iterator[Token]:
    """The variables that stand inside a pattern or a template, not in a declaration."""
    depth, declaring, after_as = 0, False, False
    for token in tokens(sparql):
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


def with_values(sparql: str, bindings: Mapping[str, str]) -> str:
    """The query with ``VALUES`` binding each variable, first thing in its WHERE pattern.

    ``bindings`` maps variable names to terms in SPARQL syntax. This is how values are bound on
    a store that cannot take them apart from the text (a remote endpoint): the terms are written
    by pyoxigraph, never spliced from user text.
    """
    if not bindings:
        return sparql
    return _values_at(sparql, _where_brace(sparql), bindings)


def bind(sparql: str, bindings: Mapping[str, str]) -> str:
    """``with_values(substitute(sparql, bindings), bindings)``, reading the text once for all
    values: terms hold no braces nor keywords, so the WHERE pattern starts at the same brace,
    moved by the terms written before it."""
    if not bindings:
        return sparql
    where = _where_brace(sparql)
    before = [(s, e) for s, e in _slots(sparql, frozenset(bindings)) if s < where]  # a template's
    moved = sum(len(bindings[sparql[s + 1 : e]]) - (e - s) for s, e in before)
    return _values_at(substitute(sparql, bindings), where + moved, bindings)


def _values_at(sparql: str, brace: int, bindings: Mapping[str, str]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    values = f" VALUES ({names}) {{ ({' '.join(bindings.values())}) }} "
    return sparql[: brace + 1] + values + sparql[brace + 1 :]


@lru_cache(maxsize=256)
def _where_brace(sparql: str) -> int:
    # The pattern starts at the first "{" after WHERE, or after SELECT/ASK/DESCRIBE (where WHERE
    # is optional); a CONSTRUCT template comes before its WHERE and is skipped.
    ready = False
    for token in tokens(sparql):
        if token.kind == "word" and token.text.upper() in {"WHERE", "SELECT", "ASK", "DESCRIBE"}:
            ready = True
        elif ready and token.text == "{":
            return token.start
    raise ValueError("the query has no WHERE pattern to bind values in")


def _resolve(token: Token | None, prefixes: dict[str, str], base: str) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local.replace("\\", "")
    return None
