"""A graph validated again by its difference from the last one gives the report a validation
from scratch gives: for every rule's examples sent one after another as the same graph, for
edits whose violation falls on a node the edit did not touch (a rule that looks across nodes,
and a one-hop rule that reads the values' statements), and when only the store changed."""

import pyoxigraph as ox
import pytest
from rule_examples import EXAMPLES, Example, examples, ids, store_with

from kgservice.namespaces import DEFAULT_BASE
from kgservice.rdfinput import parse_rdf
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.validation import ValidationReport, validate
from kgservice.validation.incremental import LastValidation

GRAPH = DEFAULT_BASE + "graph/lao-pao-40"
PLAN = DEFAULT_BASE + "plan/example-lao-pao-40-2566-2570"
TP = "https://w3id.org/thaiplan/ontology#"
END = ox.NamedNode(TP + "endFiscalYear")
UNIT = ox.NamedNode(TP + "unit")
R13 = "https://w3id.org/thaiplan/shapes#R13-project-indicator"
R08 = "https://w3id.org/thaiplan/shapes#R08-allocation-within-plan-period"
STRATEGIES = DEFAULT_BASE + "plan/example-provincial-40-2566-2570/strategy/"
R06 = "https://w3id.org/thaiplan/shapes#R06-supports-known-element"


def triples(example: Example) -> list[ox.Triple]:
    return [q.triple for q in parse_rdf(example.path.read_bytes(), "text/turtle")]


def named(stem: str) -> Example:
    return next(e for e in examples() if e.path.stem == stem)


def both(
    store: Store, content: list[ox.Triple], settings: Settings, last: LastValidation
) -> tuple[ValidationReport, ValidationReport]:
    """The report through ``last`` and the one from scratch."""
    kept = validate(store, content, settings=settings, replacing=[GRAPH], last=last)
    fresh = validate(store, content, settings=settings, replacing=[GRAPH])
    return kept, fresh


def assert_same(kept: ValidationReport, fresh: ValidationReport) -> None:
    assert kept.results == fresh.results
    assert kept.to_json("th") == fresh.to_json("th")


@pytest.mark.parametrize("rule", sorted({e.rule for e in examples()}))
def test_each_rules_examples_one_after_another_as_one_graph(
    rule: str, example_store: Store, settings: Settings
) -> None:
    last = LastValidation()
    mine = [e for e in examples() if e.rule == rule]
    for example in [*mine, *reversed(mine)]:  # each content replaces the one before it
        assert_same(*both(example_store, triples(example), settings, last))


@pytest.mark.parametrize("example", examples(), ids=ids)
def test_the_same_content_again_gets_the_same_report(
    example: Example, example_store: Store, settings: Settings
) -> None:
    last = LastValidation()
    first, _ = both(example_store, triples(example), settings, last)
    again, fresh = both(example_store, triples(example), settings, last)
    assert_same(again, fresh)
    assert again.results == first.results


def edited(
    store: Store, settings: Settings, content: list[ox.Triple], edit: list[ox.Triple]
) -> tuple[ValidationReport, ValidationReport]:
    """The reports before and after the edit, the latter checked against one from scratch."""
    last = LastValidation()
    before, _ = both(store, content, settings, last)
    after, fresh = both(store, edit, settings, last)
    assert_same(after, fresh)
    return before, after


def test_an_edit_of_the_plan_falls_on_an_allocation_the_edit_did_not_touch(
    example_store: Store, settings: Settings
) -> None:
    content = triples(named("R08-valid"))
    shorter = [t for t in content if t.predicate != END]
    shorter.append(ox.Triple(ox.NamedNode(PLAN), END, ox.Literal(2566)))
    before, after = edited(example_store, settings, content, shorter)
    assert before.conforms
    allocation = ox.NamedNode(PLAN + "/project/1/budget/2567")
    assert (R08, allocation) in {(r.rule, r.focus) for r in after.results}


def test_the_same_content_is_checked_again_when_the_store_changed(settings: Settings) -> None:
    store = next(store_with([EXAMPLES / "context.ttl"]))
    last = LastValidation()
    content = triples(named("R06-valid"))
    before, _ = both(store, content, settings, last)
    assert before.conforms
    context = DEFAULT_BASE + "graph/context"
    gone = [t for t in store.graph_triples(context) if not t.subject.value.startswith(STRATEGIES)]
    store.replace_graphs({context: gone})  # the provincial strategies it supports go
    after, fresh = both(store, content, settings, last)
    assert_same(after, fresh)
    assert R06 in {r.rule for r in after.results}
    store.close()


def test_an_edit_of_an_indicator_falls_on_the_project_that_points_at_it(
    example_store: Store, settings: Settings
) -> None:
    content = triples(named("R13-valid"))
    unitless = [t for t in content if t.predicate != UNIT]  # only the indicator's statements
    before, after = edited(example_store, settings, content, unitless)
    assert R13 not in {r.rule for r in before.results}
    assert (R13, ox.NamedNode(PLAN + "/project/1")) in {(r.rule, r.focus) for r in after.results}
