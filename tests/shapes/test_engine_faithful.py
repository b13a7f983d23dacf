"""Our one-query-per-constraint engine must report exactly what pyshacl reports when it runs the
same shapes (all of them, SPARQL-based included) the standard way, once per focus node."""

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH
from rule_examples import DATA, LEGACY, Example, examples, ids

from kgservice.rdfinput import parse_rdf
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.validation.core import core_results, from_report
from kgservice.validation.report import ValidationResult
from kgservice.validation.shapes import Shapes, load_shapes
from kgservice.validation.terms import rdflib_graph
from kgservice.validation.validator import evaluate, working_graph

Key = tuple[object, ...]
TPS = "https://w3id.org/thaiplan/shapes#"
STRATEGY = "https://w3id.org/thaiplan/id/plan/example-lao-pao-40-2566-2570/strategy/1"


def key(result: ValidationResult, texts: frozenset[str] | None = None) -> Key:
    texts = frozenset(result.messages.values()) if texts is None else texts
    parts = (
        result.rule,
        result.severity,
        result.component,
        result.focus,
        result.path,
        result.value,
    )
    return (*parts, texts)


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


def assert_agree(path: Path, store: Store, settings: Settings) -> None:
    shapes = load_shapes(settings.shapes_dir)
    submission = parse_rdf(path.read_bytes(), "text/turtle")
    work = working_graph(store, submission)
    ours = sorted((key(r) for r in evaluate(work, shapes).results), key=str)
    theirs = pyshacl_keys(rdflib_graph(q.triple for q in work.store), shapes, work.seeds.subjects)
    assert ours == theirs


# Examples pyshacl cannot evaluate, so there is nothing of its to compare with; strict, so that
# the comparison comes back the day pyshacl can. Our engine's own results on them are checked by
# test_rule_examples.py like every other example's.
PYSHACL_FAILS = {
    "R07-invalid-06.ttl": (
        RecursionError,
        'rdflib, under pyshacl, recurses without end computing "abc"^^xsd:integer + 543 '
        "(R07's Christian Era check)",
    ),
}


def compared(example: Example) -> object:
    if example.path.name not in PYSHACL_FAILS:
        return example
    failure, reason = PYSHACL_FAILS[example.path.name]
    mark = pytest.mark.xfail(raises=failure, strict=True, reason=reason)
    return pytest.param(example, marks=mark)


@pytest.mark.parametrize("example", [compared(e) for e in examples()], ids=ids)
def test_engine_and_pyshacl_agree_on_every_example(
    example: Example, example_store: Store, settings: Settings
) -> None:
    assert_agree(example.path, example_store, settings)


@pytest.mark.parametrize(
    "path", [LEGACY, DATA / "lecture-example.ttl", DATA / "sample" / "provincial-40.ttl"]
)
def test_engine_and_pyshacl_agree_on_bundled_data(
    path: Path, bundled_store: Store, settings: Settings
) -> None:
    assert_agree(path, bundled_store, settings)


def test_the_comparison_covers_sparql_based_results(
    example_store: Store, settings: Settings
) -> None:
    shapes = load_shapes(settings.shapes_dir)
    by_engine = {c.shape for c in shapes.sparql}
    reported: set[str] = set()
    for example in examples():
        submission = parse_rdf(example.path.read_bytes(), "text/turtle")
        work = working_graph(example_store, submission)
        reported |= {r.rule for r in evaluate(work, shapes).results}
    assert by_engine <= reported


UNCOMPILED = """
@prefix tps: <https://w3id.org/thaiplan/shapes#> .
@prefix tp: <https://w3id.org/thaiplan/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
tps:X01-unique-label-language sh:targetClass tp:Plan , tp:PlanElement ;
    sh:path rdfs:label ;
    sh:uniqueLang true ;
    sh:message "one label per language"@en .
"""


def test_a_shape_we_do_not_compile_goes_to_pyshacl_in_batches(
    example_store: Store, tmp_path: Path
) -> None:
    (tmp_path / "extra.ttl").write_text(UNCOMPILED)
    shapes = load_shapes(tmp_path)
    assert [str(s) for s in shapes.pyshacl_shapes] == [TPS + "X01-unique-label-language"]
    twice = [e for e in examples() if e.path.name in {"R01-invalid-02.ttl", "R01-invalid-03.ttl"}]
    submission = [q for e in twice for q in parse_rdf(e.path.read_bytes(), "text/turtle")]
    work = working_graph(example_store, submission)
    focus = work.seeds.subjects
    whole = sorted(map(key, core_results(work.store, focus, shapes)), key=str)
    assert [k[3] for k in whole] == [ox.NamedNode(STRATEGY)] * 2  # th twice, en twice
    assert sorted(map(key, core_results(work.store, focus, shapes, batch=1)), key=str) == whole
    theirs = pyshacl_keys(rdflib_graph(q.triple for q in work.store), shapes, focus)
    assert whole == theirs
