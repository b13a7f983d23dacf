"""Which patterns the Virtuoso dialect answers alone first (``store/virtuoso_closure.py``): a
variable's ``*`` path to a fixed end, or from a fixed start to a variable, in the default graph;
not one inside ``GRAPH`` or ``SERVICE``, whose answers the default graph does not give, nor one
continuing a pattern."""

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kgservice.store.virtuoso_closure import resolved

SUB = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
C = "<https://w3id.org/thaiplan/ontology#Agreement>"


def answers(alone: str) -> Iterator[ox.NamedNode | ox.BlankNode]:
    """What Virtuoso answers a closure asked alone (a blank node too, which VALUES cannot hold)."""
    yield ox.NamedNode("https://w3id.org/thaiplan/ontology#Agreement")
    yield ox.NamedNode("https://w3id.org/thaiplan/ontology#PerformanceAgreement")
    yield ox.BlankNode("b1")


def test_a_closure_in_the_default_graph_becomes_values_of_its_iris() -> None:
    text = f"PREFIX t: <x:> SELECT * {{ ?a t:party ?p ; a ?type . ?type {SUB}* {C} . }}"
    assert resolved(text, answers) == (
        "PREFIX t: <x:> SELECT * { ?a t:party ?p ; a ?type . VALUES ?type { "
        "<https://w3id.org/thaiplan/ontology#Agreement> "
        "<https://w3id.org/thaiplan/ontology#PerformanceAgreement> }  }"
    )


def test_closures_inside_graph_or_service_and_paths_continuing_a_pattern_stay() -> None:
    for text in (
        f"SELECT * {{ GRAPH ?g {{ ?t {SUB}* {C} }} }}",
        f"SELECT * {{ SERVICE SILENT <http://e/> {{ {{ ?t {SUB}* {C} }} }} }}",
        f"SELECT * {{ ?s {SUB} ?t , ?u {SUB}* {C} }}",
    ):
        assert resolved(text, answers) == text


def test_a_closure_from_a_fixed_start_through_a_group_of_links_becomes_values() -> None:
    asked = []

    def answer(alone: str) -> Iterator[ox.NamedNode]:
        asked.append(alone)
        yield ox.NamedNode("http://e/project")
        yield ox.NamedNode("http://e/programme")

    text = "SELECT * { <http://e/project> (t:partOf|t:supports)* ?from . ?from ?link ?step }"
    assert resolved(text, answer) == (
        "SELECT * { VALUES ?from { <http://e/project> <http://e/programme> }  ?from ?link ?step }"
    )
    assert asked == [
        "SELECT DISTINCT ?from WHERE { { <http://e/project> (t:partOf|t:supports)* ?from } "
        "UNION { BIND(<http://e/project> AS ?from) } }"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s (t:partOf|?p)* ?from }",  # a variable in the group: no path
        "SELECT * { <http://e/s> (t:partOf)* <http://e/o> }",  # no variable end
        "SELECT * { ?s (t:partOf)* ?o }",  # no fixed end
        "SELECT * { GRAPH ?g { <http://e/s> (t:partOf)* ?o } }",  # in a named graph
    ],
)
def test_paths_without_one_fixed_and_one_variable_end_stay(text: str) -> None:
    assert resolved(text, answers) == text
