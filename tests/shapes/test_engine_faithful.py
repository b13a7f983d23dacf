"""Our one-query-per-constraint engine must report exactly what pyshacl reports when it runs the
same shapes (all of them, SPARQL-based included) the standard way, once per focus node."""

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH
from rule_examples import Example, examples, ids

from kgservice.rdfinput import parse_rdf
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.validation.core import from_report
from kgservice.validation.report import ValidationResult
from kgservice.validation.shapes import Shapes, load_shapes
from kgservice.validation.terms import rdflib_graph
from kgservice.validation.validator import evaluate, working_graph

Key = tuple[object, ...]


def key(result: ValidationResult, texts: frozenset[str] | None = None) -> Key:
    texts = frozenset(result.messages.values()) if texts is None else texts
    return (result.rule, result.severity, result.focus, result.path, result.value, texts)


def pyshacl_keys(triples: rdflib.Graph, shapes: Shapes, focus: set[object]) -> list[Key]:
    _, report, _ = pyshacl.validate(
        triples, shacl_graph=shapes.graph, inference="none", allow_warnings=True
    )
    assert isinstance(report, rdflib.Graph)
    keys = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        result = from_report(report, node, shapes)
        # pyshacl drops the language tag of a message it fills in ({?value}): compare texts.
        texts = frozenset(str(m) for m in report.objects(node, SH.resultMessage))
        if result.focus in focus:
            keys.append(key(result, texts))
    return sorted(keys, key=str)


@pytest.mark.parametrize("example", examples(), ids=ids)
def test_engine_and_pyshacl_agree_on_every_example(
    example: Example, example_store: Store, settings: Settings
) -> None:
    shapes = load_shapes(settings.shapes_dir)
    submission = parse_rdf(example.path.read_bytes(), "text/turtle")
    work, focus = working_graph(example_store, submission)
    ours = sorted((key(r) for r in evaluate(work, focus, shapes).results), key=str)
    theirs = pyshacl_keys(rdflib_graph(q.triple for q in work), shapes, focus)
    assert ours == theirs


def test_the_comparison_covers_sparql_based_results(
    example_store: Store, settings: Settings
) -> None:
    shapes = load_shapes(settings.shapes_dir)
    by_engine = {c.shape for c in shapes.sparql}
    reported: set[str] = set()
    for example in examples():
        submission = parse_rdf(example.path.read_bytes(), "text/turtle")
        work, focus = working_graph(example_store, submission)
        reported |= {r.rule for r in evaluate(work, focus, shapes).results}
    assert by_engine <= reported
