"""A small SPARQL tokenizer that knows strings, comments and IRIs, and what the service reads from
a query's tokens: which endpoints ``SERVICE`` and ``LOAD`` would contact. A keyword inside a
string literal, a comment, an IRI, a variable or a prefixed name is not a keyword.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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


def candidates(*keywords: str) -> list[re.Pattern[bytes]]:
    """Patterns for every place one of ``keywords`` could stand, found without tokenizing: a
    letter, ``_``, ``?``, ``$``, ``:`` or ``@`` just before a word makes it part of a name, a
    variable or a language tag. They also find words in strings, comments and IRIs, which the
    tokenizer then sets aside. Searched in the text's UTF-8 in lower case (``may_hold``)."""
    lowered = (keyword.lower() for keyword in keywords)
    return [re.compile(rf"{k}(?<![a-z_?$:@]{k})(?!\w)".encode()) for k in lowered]


def may_hold(sparql: str, found: list[re.Pattern[bytes]]) -> bool:
    """Whether one of the ``candidates`` occurs: a text without any needs no tokenizing."""
    text = sparql.encode("utf-8", "surrogatepass").lower()  # ASCII letters only are lowered
    return any(candidate.search(text) for candidate in found)


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


def remote_operations(found: Iterable[Token]) -> list[Remote]:
    """Every SERVICE and LOAD with the IRI it would contact, prefixes and BASE resolved."""
    operations: list[Remote] = []
    prefixes: dict[str, str] = {}
    base = ""
    stream = iter(found)
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
            operations.append(Remote(keyword, _resolve(target, prefixes, base)))
    return operations


def update_dataset(found: Iterable[Token]) -> tuple[bool, list[int]]:
    """Whether an update names its own dataset (``USING`` or ``WITH`` outside braces), and where
    each top-level ``WHERE`` of a DELETE/INSERT operation starts (not ``DELETE WHERE``)."""
    depth, previous, own, wheres = 0, "", False, []
    for token in found:
        word = token.text.upper() if token.kind == "word" else ""
        if token.text in "{}":
            depth += 1 if token.text == "{" else -1
        elif depth == 0 and word in {"USING", "WITH"}:
            own = True
        elif depth == 0 and word == "WHERE" and previous != "DELETE":
            wheres.append(token.start)
        previous = word or token.text
    return own, wheres


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
