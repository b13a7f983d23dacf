"""The SPARQL a user would send to another engine: a named query with its parameters written in.

Each parameter becomes ``VALUES ?name { term }`` at the start of every ``WHERE`` group (outer
query and sub-queries) that uses it, which binds it before anything else is evaluated, as
pyoxigraph's ``substitutions`` do, without touching the projection or GROUP BY.
"""

import re

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def without_comment_lines(query: str) -> str:
    return "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))


def inline(query: str, terms: dict[str, str]) -> str:
    """``terms``: variable name -> the term in SPARQL syntax (``<iri>``, ``"2567"^^<...>``)."""
    text = without_comment_lines(query)
    for match in reversed(list(_WHERE.finditer(text))):
        start = match.end()
        group = text[start : _closing_brace(text, start)]
        values = "".join(
            f" VALUES ?{name} {{ {term} }}"
            for name, term in terms.items()
            if re.search(rf"[?$]{name}\b", group)
        )
        text = text[:start] + values + text[start:]
    return text


def _closing_brace(text: str, start: int) -> int:
    """Index of the brace closing the group opened just before ``start`` (IRIs and strings
    in our queries hold no braces)."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ValueError("unbalanced braces in query")
