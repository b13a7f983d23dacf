"""Text search inside SPARQL, over the standard protocol: the triple pattern

    ?project tp:matchesText "ถนน คสล." .

is resolved by the service before the engine sees the query: it becomes
``VALUES ?project { ... }`` holding the resources whose labels have those words (the best
``MAX_MATCHES`` by the ranking of ``/search``), so the rest of the query joins them with any
graph pattern. The subject must be a variable and the object a plain string; the pattern ends
with ``.`` or the group's ``}``.
"""

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.namespaces import TP
from kgservice.query.text import Token, tokens
from kgservice.search.index import SearchIndex
from kgservice.search.query import matching_iris

MATCHES_TEXT = TP + "matchesText"
MAX_MATCHES = 10_000


def resolve_text_matches(sparql: str, index: SearchIndex) -> str:
    """``sparql`` with each ``?var tp:matchesText "text"`` replaced by the matches' VALUES."""
    if "matchesText" not in sparql:
        return sparql
    found = list(tokens(sparql))
    prefixes = _prefixes(found)
    edits: list[tuple[int, int, str]] = []
    for i in range(len(found) - 2):
        subject, predicate, text = found[i : i + 3]
        if _expands(predicate, prefixes) != MATCHES_TEXT:
            continue
        if subject.kind != "var" or text.kind != "string":
            raise BadRequest(
                "tp:matchesText needs a variable before it and a string after it",
                line=sparql.count("\n", 0, predicate.start) + 1,
            )
        end = text.start + len(text.text)
        after = found[i + 3] if i + 3 < len(found) else None
        if after is not None and after.text == ".":
            end = after.start + 1
        edits.append((subject.start, end, _values(subject.text, _string(text), index)))
    for start, end, replacement in reversed(edits):
        sparql = sparql[:start] + replacement + sparql[end:]
    return sparql


def _values(variable: str, text: str, index: SearchIndex) -> str:
    iris = " ".join(str(ox.NamedNode(iri)) for iri in matching_iris(index, text, MAX_MATCHES))
    return f"VALUES {variable} {{ {iris} }}"


def _string(token: Token) -> str:
    """The value of a string token, as a Turtle parser reads it."""
    try:
        quads = list(ox.parse(f"<s:s> <p:p> {token.text} .", format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise BadRequest(f"the text of tp:matchesText is no valid string: {exc}") from None
    value: str = quads[0].object.value
    return value


def _prefixes(found: list[Token]) -> dict[str, str]:
    declared: dict[str, str] = {}
    for i, token in enumerate(found[:-2]):
        name, iri = found[i + 1], found[i + 2]
        if token.text.upper() == "PREFIX" and name.kind == "pname" and iri.kind == "iri":
            declared[name.text[:-1]] = iri.text[1:-1]
    return declared


def _expands(token: Token, prefixes: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None
