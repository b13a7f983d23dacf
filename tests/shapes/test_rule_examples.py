"""Every rule, both ways: its valid example gives no result from it, each invalid example names
the rule's shape and the offending node written in the example's header."""

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, SH
from rule_examples import RULES, Example, examples, ids

from kgservice.rdfinput import parse_rdf
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store import Store
from kgservice.validation import ValidationReport, validate

VALID = [e for e in examples() if e.valid]
INVALID = [e for e in examples() if not e.valid]


def report_for(example: Example, store: Store, settings: Settings) -> ValidationReport:
    submission = parse_rdf(example.path.read_bytes(), "text/turtle")
    return validate(store, submission, settings=settings)


@pytest.mark.parametrize("example", VALID, ids=ids)
def test_a_valid_example_conforms_and_gets_nothing_from_its_rule(
    example: Example, example_store: Store, settings: Settings
) -> None:
    report = report_for(example, example_store, settings)
    assert [r for r in report.results if r.rule_id == example.rule] == []
    assert report.conforms, report.to_json("en")


@pytest.mark.parametrize("example", INVALID, ids=ids)
def test_an_invalid_example_is_reported_by_its_rule_on_the_named_node(
    example: Example, example_store: Store, settings: Settings
) -> None:
    report = report_for(example, example_store, settings)
    from_shape = [r for r in report.results if r.rule == example.shape]
    assert example.focus in [r.focus for r in from_shape], report.to_json("en")
    assert all(r.messages.keys() >= {"th", "en"} for r in from_shape)


@pytest.mark.parametrize("example", INVALID, ids=ids)
def test_each_violation_is_reported_once(
    example: Example, example_store: Store, settings: Settings
) -> None:
    report = report_for(example, example_store, settings)
    found = [(r.rule, r.focus, r.path, r.value) for r in report.results]
    assert len(found) == len(set(found)), report.to_json("en")


def test_every_rule_has_a_valid_and_an_invalid_example() -> None:
    assert sorted({e.rule for e in VALID}) == RULES
    assert sorted({e.rule for e in INVALID}) == RULES


def test_every_shape_is_shown_failing_by_an_example() -> None:
    shapes = rdflib.Graph()
    for path in (PROJECT_ROOT / "shapes").glob("*.ttl"):
        shapes.parse(path)
    named = {
        str(s)
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, rdflib.URIRef)
    }
    assert named == {e.shape for e in INVALID}


def test_every_example_says_why_in_its_first_line() -> None:
    for example in examples():
        first = example.path.read_text().splitlines()[0]
        verdict = "valid" if example.valid else "invalid"
        assert first.startswith(f"# {example.rule} {verdict}"), example.path.name


def test_focus_lines_name_nodes_of_the_example() -> None:
    for example in INVALID:
        subjects = {q.subject for q in parse_rdf(example.path.read_bytes(), "text/turtle")}
        assert example.focus in subjects, example.path.name
        assert isinstance(example.focus, ox.NamedNode)
