"""A query prepared once: what its one reading finds, and that the reading is kept."""

import pyoxigraph as ox
import pytest

from kgservice.errors import ForbiddenOperation
from kgservice.query.binding import Slot
from kgservice.query.guard import check_remote_access
from kgservice.query.ordering import Condition
from kgservice.query.prepare import LONGEST, prepare, prepare_update
from kgservice.query.text import Remote

TRICKY = """PREFIX ex: <http://ex.example/>
# ORDER BY ?s, SERVICE <http://comment.example/> and FROM <g> in a comment
SELECT ?s ?o WHERE {
  ?s ex:from "ORDER BY ?o" ; <http://x.example/SERVICE> 'FROM <g>' ; ex:load ?o .
}"""


def test_keywords_in_strings_comments_iris_and_names_are_not_read_as_keywords() -> None:
    query = prepare(TRICKY)
    assert (query.engine, query.order, query.remote) == (TRICKY, (), ())


def test_one_reading_finds_operations_order_and_binding_sites() -> None:
    text = """PREFIX r: <http://remote.example/>
SELECT ?s ?o FROM <http://g.example/> WHERE { ?s ?p ?o SERVICE r:sparql { ?o ?q ?s } }
ORDER BY DESC(?o) ?s"""
    query = prepare(text)
    assert query.remote == (Remote("SERVICE", "http://remote.example/sparql"),)
    assert query.order == (Condition("o", True), Condition("s", False))
    assert query.engine == text[: text.index("ORDER BY")]
    assert query.sites is not None
    assert query.sites.pattern == text.index("WHERE {") + len("WHERE ")
    assert [s.name for s in query.sites.slots] == ["s", "p", "o", "o", "q", "s"]
    first = query.sites.slots[0]
    assert text[first.start : first.end] == "?s" and first == Slot("s", first.start, first.end)


def test_a_query_that_names_nothing_is_bound_from_a_reading_made_when_first_bound() -> None:
    query = prepare("SELECT ?o WHERE { ?s ?p ?o }")
    assert query.sites is None  # nothing read yet: no keyword the service acts on
    bound = query.bound({"s": ox.NamedNode("http://s.example/")})
    assert bound == (
        "SELECT ?o WHERE { VALUES (?s) { (<http://s.example/>) }  <http://s.example/> ?p ?o }"
    )


def test_a_text_seen_before_is_prepared_from_the_kept_reading() -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    assert prepare(text) is prepare(text)
    assert prepare(text, engine_sorts=True) is not prepare(text)


def test_a_text_whose_engine_sorts_keeps_its_order_by() -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    query = prepare(text, engine_sorts=True)
    assert (query.engine, query.order) == (text, ())


def test_a_text_over_the_longest_is_read_for_the_guard_but_not_kept() -> None:
    text = f"SELECT * WHERE {{ SERVICE <http://x.example/> {{ ?s ?p ?o }} }} #{'x' * LONGEST}"
    assert prepare(text).remote == (Remote("SERVICE", "http://x.example/"),)
    assert prepare(text) is not prepare(text)


def test_binding_a_query_without_a_pattern_is_an_error() -> None:
    with pytest.raises(ValueError, match="no WHERE pattern"):
        prepare("DESCRIBE <http://x.example/>").bound({"x": ox.Literal("1")})


def test_the_guard_checks_the_operations_found_when_the_query_was_prepared() -> None:
    query = prepare("SELECT * { SERVICE <http://x.example/> { ?s ?p ?o } }")
    check_remote_access(query, ["http://x.example/"])
    with pytest.raises(ForbiddenOperation):
        check_remote_access(query, [])
    with pytest.raises(ForbiddenOperation):  # an update, prepared too
        check_remote_access(prepare_update("LOAD <http://x.example/data.ttl>"), [])
