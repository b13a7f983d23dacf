"""SPARQL JSON results as the service writes them read the same as pyoxigraph's own writer's."""

import json

import pyoxigraph as ox

from kgservice.query.execution import Solutions
from kgservice.query.serialise import serialise

EX = "http://example.org/"
QUERY = f"SELECT ?s ?o ?unbound WHERE {{ ?s ?p ?o OPTIONAL {{ ?s <{EX}none> ?unbound }} }}"


def store_with_every_kind_of_term() -> ox.Store:
    store = ox.Store()
    store.update(
        f"""INSERT DATA {{
          <{EX}s> <{EX}p> "คำว่า \\"ไทย\\"\\nบรรทัดใหม่\\u0001\\\\"@th, "", "plain", 1, 2.5,
            "x"^^<{EX}type>, <{EX}o> .
          _:b <{EX}p> "from a blank node" .
        }}"""
    )
    a, b, s, p = (ox.NamedNode(f"{EX}{name}") for name in "absp")
    store.add(ox.Quad(s, p, ox.Triple(a, b, ox.Literal("c", language="en"))))
    return store


def ours(store: ox.Store) -> dict[str, object]:
    result = store.query(QUERY)
    assert isinstance(result, ox.QuerySolutions)
    solutions = Solutions([v.value for v in result.variables], list(result))
    body = b"".join(serialise(solutions, "application/sparql-results+json"))
    return json.loads(body)  # type: ignore[no-any-return]


def pyoxigraphs(store: ox.Store) -> dict[str, object]:
    result = store.query(QUERY)
    assert isinstance(result, ox.QuerySolutions)
    return json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))  # type: ignore[no-any-return]


def rows(document: dict[str, object]) -> list[str]:
    bindings = document["results"]["bindings"]  # type: ignore[index]
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in bindings)


def test_every_kind_of_term_is_written_as_pyoxigraph_writes_it() -> None:
    store = store_with_every_kind_of_term()
    written, expected = ours(store), pyoxigraphs(store)
    assert written["head"] == expected["head"] == {"vars": ["s", "o", "unbound"]}
    assert len(rows(written)) == 9
    assert rows(written) == rows(expected)
