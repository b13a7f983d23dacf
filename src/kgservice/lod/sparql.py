"""Running the pages' SELECT queries: one prefix block, IRIs bound as terms."""

from collections.abc import Mapping

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES
from kgservice.store import Store, Term

PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

Row = dict[str, Term]


def select(store: Store, query: str, **bindings: Term) -> list[Row]:
    """Rows of a SELECT query as dicts of the bound variables only."""
    result = store.query(PREFIX_BLOCK + query, bindings=bindings)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def construct(store: Store, query: str, **bindings: Term) -> list[ox.Triple]:
    result = store.query(PREFIX_BLOCK + query, bindings=bindings)
    assert isinstance(result, ox.QueryTriples)
    return list(result)


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def as_int(term: Term | None, default: int = 0) -> int:
    return int(term.value) if term is not None else default


def first(mapping: Mapping[str, Term], name: str) -> str | None:
    term = mapping.get(name)
    return term.value if term is not None else None
