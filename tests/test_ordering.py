"""The final ORDER BY done by the service: which queries it takes out of the engine, and that the
rows come back in the order the engine would have put them in."""

import pyoxigraph as ox
import pytest

from kgservice.query.ordering import Condition, sort
from kgservice.query.prepare import LONGEST, prepare


def split(query: str) -> tuple[str, tuple[Condition, ...]]:
    """What the engine runs, and the order the service puts the rows in."""
    prepared = prepare(query)
    return prepared.engine, prepared.order


HEAD = "PREFIX tp: <https://w3id.org/thaiplan/ontology#>\nSELECT ?a ?b WHERE { ?a tp:p ?b }"


def test_a_final_order_by_over_projected_variables_is_taken_out() -> None:
    found = split(f"{HEAD}\nORDER BY ?a DESC(?b) ASC( ?a )\n")
    assert found == (
        f"{HEAD}\n",
        (Condition("a", False), Condition("b", True), Condition("a", False)),
    )


@pytest.mark.parametrize(
    "query",
    [
        f"{HEAD} ORDER BY ?a LIMIT 10",  # the order picks which rows come back
        f"{HEAD} ORDER BY ?a OFFSET 5",
        f"{HEAD} ORDER BY ?a VALUES ?a {{ tp:x }}",
        f"{HEAD} ORDER BY STR(?a)",  # an expression: the engine's job
        f"{HEAD} ORDER BY DESC(STRLEN(?b))",
        f"{HEAD} ORDER BY ?c",  # not projected: the rows will not have it
        "SELECT (COUNT(?x) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?p ORDER BY ?x",
        "CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b } ORDER BY ?a",
        # an ORDER BY of a sub-query, and words in strings and comments, are not the query's own
        "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 3 } }",
        'SELECT ?a WHERE { ?a ?p "x ORDER BY ?a" }',
        "SELECT ?a WHERE { ?a ?p ?o } # ORDER BY ?a",
    ],
)
def test_anything_else_stays_in_the_text(query: str) -> None:
    assert split(query) == (query, ())


def test_a_query_too_long_to_read_keeps_its_order_by() -> None:
    query = f"{HEAD} ORDER BY ?a"
    longest = f"#{'x' * (LONGEST - len(query) - 2)}\n{query}"
    assert len(longest) == LONGEST
    assert split(longest)[1] == (Condition("a", False),)
    assert split(f"#{longest}") == (f"#{longest}", ())


def test_select_star_and_computed_columns_count_as_projected() -> None:
    star = split("SELECT * WHERE { ?a ?p ?o } ORDER BY ?o")
    computed = split("SELECT (STR(?a) AS ?s) WHERE { ?a ?p ?o } ORDER BY ?s")
    assert star[1] == (Condition("o", False),)
    assert computed[1] == (Condition("s", False),)


def sorted_here_and_by_the_engine(
    query: str, variables: list[str]
) -> tuple[list[ox.QuerySolution], list[ox.QuerySolution]]:
    """The rows of ``query`` on an empty store, sorted by ``sort`` and by Oxigraph."""
    store = ox.Store()
    engine, order = split(query)
    ours = sort(list(store.query(engine)), variables, order)  # type: ignore[arg-type]
    return ours, list(store.query(query))  # type: ignore[arg-type]


MIXED = """
SELECT ?x ?y WHERE {
  VALUES (?x ?y) {
    (UNDEF 1) (<http://example.org/b> 2) (<http://example.org/a> 3) (<http://example.org/a> 4)
    (10 5) (2 6) (2.5 7) ("1e1"^^<http://www.w3.org/2001/XMLSchema#double> 8) (-3 9)
    ("b" 10) ("a" 11) ("ก"@th 12) ("10" 13) ("a" 14)
  }
}
ORDER BY ?x DESC(?y)
"""


def test_rows_come_back_in_the_engines_order() -> None:
    """Unbound first, then IRIs by their text, numbers by value (10 after 2.5, the double 1e1
    equal to 10), strings by their text ("10" before "a"); the second condition, descending,
    orders rows equal on the first."""
    assert split(MIXED)[1] == (Condition("x", False), Condition("y", True))
    ours, engines = sorted_here_and_by_the_engine(MIXED, ["x", "y"])
    assert [str(row["y"]) for row in ours] == [str(row["y"]) for row in engines]
    assert [int(row["y"].value) for row in ours] == [1, 4, 3, 2, 9, 6, 7, 8, 5, 13, 14, 11, 10, 12]


TIMES = """
SELECT ?t ?n WHERE {
  VALUES (?t ?n) {
    ("2024-01-01T10:00:00+07:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> 1)
    ("2024-01-01T05:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> 2)
    ("2023-12-31T23:00:00-05:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> 3)
  }
}
ORDER BY ?t
"""


def test_times_go_by_the_moment_they_name_not_their_text() -> None:
    """03:00, 05:00 and 04:00 UTC on 1 January 2024: by their text the order would be 3, 2, 1."""
    ours, engines = sorted_here_and_by_the_engine(TIMES, ["t", "n"])
    assert [int(row["n"].value) for row in ours] == [1, 3, 2]
    assert [str(row["n"]) for row in ours] == [str(row["n"]) for row in engines]


def test_a_triple_term_sorts_after_iris_and_literals() -> None:
    triple = "<<( <http://example.org/s> <http://example.org/p> 1 )>>"
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ {triple} <http://example.org/a> 1 }} }} ORDER BY ?x"
    ours, engines = sorted_here_and_by_the_engine(query, ["x"])
    assert [type(row["x"]) for row in ours] == [ox.NamedNode, ox.Literal, ox.Triple]
    assert [str(row["x"]) for row in ours] == [str(row["x"]) for row in engines]


INFINITIES = """
SELECT ?x ?n WHERE {
  VALUES (?x ?n) {
    ("NaN"^^<http://www.w3.org/2001/XMLSchema#double> 1) ("a" 2) (1 3)
    ("INF"^^<http://www.w3.org/2001/XMLSchema#double> 4) (0.5 5)
    ("-INF"^^<http://www.w3.org/2001/XMLSchema#float> 6)
  }
}
ORDER BY ?x
"""


def test_infinities_and_not_a_number_sort_as_the_engine_sorts_them() -> None:
    """-INF, 0.5, 1, INF, then NaN after every number and before the strings."""
    ours, engines = sorted_here_and_by_the_engine(INFINITIES, ["x", "n"])
    assert [int(row["n"].value) for row in ours] == [6, 5, 3, 4, 1, 2]
    assert [str(row["n"]) for row in ours] == [str(row["n"]) for row in engines]
