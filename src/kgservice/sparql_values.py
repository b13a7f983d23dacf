"""``VALUES`` clauses for the queries the service writes itself: the terms are written by
pyoxigraph, so no IRI or text of the data can end the clause or change the query."""

from collections.abc import Iterable

import pyoxigraph as ox


def iris(var: str, found: Iterable[str]) -> str:
    """``VALUES ?var { <iri> ... }``."""
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in found)} }}"


def texts(var: str, found: Iterable[str]) -> str:
    """``VALUES ?var { "text" ... }``, plain literals."""
    return f"VALUES ?{var} {{ {' '.join(str(ox.Literal(t)) for t in found)} }}"
