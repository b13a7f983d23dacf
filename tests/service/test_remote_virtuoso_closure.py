"""Which patterns the Virtuoso dialect answers alone first (``store/virtuoso_closure.py``): a
variable's ``*`` path to a fixed end in the default graph; not one inside ``GRAPH`` or
``SERVICE``, whose answers the default graph does not give, nor one continuing a pattern."""

from collections.abc import Iterator

import pyoxigraph as ox

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
