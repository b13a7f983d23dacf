"""The validator sees the submission plus only the part of the graph it links into."""

import pyoxigraph as ox
from rule_examples import EXAMPLES

from kgservice.rdfinput import parse_rdf
from kgservice.store import Store
from kgservice.validation.context import RDF_TYPE, extract_context
from kgservice.validation.working import Working

ID = "https://w3id.org/thaiplan/id/"
TP = "https://w3id.org/thaiplan/ontology#"


def context_of(name: str, store: Store, replacing: tuple[str, ...] = ()) -> set[ox.Triple]:
    work = Working.of_triples(parse_rdf((EXAMPLES / name).read_bytes(), "text/turtle"))
    return extract_context(store, work.seeds, replacing=replacing)


def subjects(triples: set[ox.Triple]) -> set[str]:
    return {t.subject.value for t in triples}


def test_context_follows_support_to_the_plan_its_level_and_area(example_store: Store) -> None:
    reached = subjects(context_of("R03-valid.ttl", example_store))
    assert {
        f"{ID}plan/example-provincial-40-2566-2570/strategy/1",
        f"{ID}plan/example-provincial-40-2566-2570",
        f"{TP}ProvincialLevel",
        f"{ID}area/40",
        f"{ID}org/lao-pao-40",
    } <= reached


def test_context_leaves_out_what_the_submission_does_not_reach(example_store: Store) -> None:
    reached = subjects(context_of("R03-valid.ttl", example_store))
    assert f"{ID}plan/example-provincial-41-2566-2570" not in reached
    assert f"{ID}plan/example-lao-mun-400101-2566-2570" not in reached
    assert f"{ID}area/400101" not in reached


def test_context_keeps_only_the_facts_rules_read(example_store: Store) -> None:
    context = context_of("R03-valid.ttl", example_store)
    plan = ox.NamedNode(f"{ID}plan/example-provincial-40-2566-2570")
    kept = {t.predicate.value.rpartition("#")[2] for t in context if t.subject == plan}
    assert kept == {"type", "level", "ownedBy", "coversArea", "startFiscalYear", "endFiscalYear"}


def test_context_follows_the_area_hierarchy_upward(example_store: Store) -> None:
    reached = subjects(context_of("R11-valid.ttl", example_store))
    assert {f"{ID}area/400101", f"{ID}area/4001", f"{ID}area/40"} <= reached


def test_a_replaced_graph_is_not_context(example_store: Store) -> None:
    examples_graph = f"{ID}graph/context"
    assert context_of("R03-valid.ttl", example_store)
    reached = subjects(context_of("R03-valid.ttl", example_store, (examples_graph,)))
    assert f"{ID}plan/example-provincial-40-2566-2570" not in reached


def test_subjects_no_other_graph_describes_are_not_asked_about(example_store: Store) -> None:
    organisation = ox.NamedNode(f"{ID}org/lao-pao-40")
    seeds = Working.of_triples(
        [ox.Triple(organisation, ox.NamedNode(f"{TP}jurisdiction"), ox.NamedNode(f"{ID}area/40"))]
    ).seeds
    stored = ox.Triple(
        organisation, RDF_TYPE, ox.NamedNode(f"{TP}ProvincialAdministrativeOrganization")
    )
    assert stored in extract_context(example_store, seeds)  # context.ttl describes it
    assert stored not in extract_context(example_store, seeds, alone={organisation.value})
