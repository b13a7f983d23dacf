"""``kgservice validate`` and ``kgservice load`` against a real on-disk store."""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.cli import main
from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.settings import PROJECT_ROOT
from kgservice.store.embedded import EmbeddedStore

EXAMPLES = PROJECT_ROOT / "tests" / "shapes"
ONTOLOGY = sorted(str(p) for p in (PROJECT_ROOT / "ontology").glob("*.ttl"))
VALID = str(EXAMPLES / "R03-valid.ttl")
INVALID = str(EXAMPLES / "R03-invalid-01.ttl")
PROJECT = "https://w3id.org/thaiplan/id/plan/example-lao-pao-40-2566-2570/project/1"


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store holding the ontology and the examples' reference data, loaded by the command."""
    monkeypatch.setenv("KGSERVICE_LOAD_BUNDLED_DATA", "false")
    where = str(tmp_path / "store")
    ontology = graph_iri(DEFAULT_BASE, "ontology")
    assert main(["load", *ONTOLOGY, "--graph", ontology, "--data-dir", where]) == 0
    assert main(["load", str(EXAMPLES / "context.ttl"), "--data-dir", where]) == 0
    return where


def graphs(data_dir: str) -> dict[str, int]:
    store = EmbeddedStore(Path(data_dir))
    try:
        return store.graphs()
    finally:
        store.close()


def test_validate_exits_0_when_every_file_conforms(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", VALID, "--data-dir", data_dir]) == 0
    assert "R03-valid.ttl: เป็นไปตามกฎ" in capsys.readouterr().out


def test_validate_exits_1_and_names_rule_and_node(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", VALID, INVALID, "--lang", "en", "--data-dir", data_dir]) == 1
    out = capsys.readouterr().out
    assert "R03-invalid-01.ttl: does not conform (1 violation)" in out
    assert f"R03 Violation {PROJECT}" in out
    assert "supports no element of a higher-level plan" in out


def test_validate_exits_2_on_a_syntax_error_with_its_position(
    data_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://example.org/a> <https://example.org/b> .\n")
    assert main(["validate", VALID, str(broken), "--data-dir", data_dir]) == 2
    assert "line 1 column" in capsys.readouterr().err


def test_validate_exits_2_on_a_missing_file(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "no-such-plan.ttl", "--data-dir", data_dir]) == 2
    assert "no-such-plan.ttl: cannot read" in capsys.readouterr().err


def test_validate_prints_json_in_the_chosen_language(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", INVALID, "--format", "json", "--lang", "en", "--data-dir", data_dir])
    (report,) = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    assert report["counts"] == {"violation": 1, "warning": 0, "info": 0}
    (result,) = report["results"]
    assert (result["rule"], result["focus"]) == ("R03", PROJECT)
    assert result["message"].startswith("This project supports no element")


def test_validate_prints_the_shacl_report_as_turtle(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", INVALID, "--format", "turtle", "--data-dir", data_dir])
    graph = list(ox.parse(capsys.readouterr().out.encode(), format=ox.RdfFormat.TURTLE))
    focus = [t.object for t in graph if t.predicate.value.endswith("#focusNode")]
    assert focus == [ox.NamedNode(PROJECT)]


def test_load_refuses_data_that_does_not_conform(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = graphs(data_dir)
    assert main(["load", INVALID, "--data-dir", data_dir]) == 1
    out = capsys.readouterr().out
    assert (
        f"stopped at 1 graphs that do not conform: {graph_iri(DEFAULT_BASE, 'R03-invalid-01')}"
        in out
    )
    assert graphs(data_dir) == before
    report = Path(data_dir + ".load-report.jsonl").read_text()
    assert f'"rule": "R03", "severity": "Violation", "focusNode": "{PROJECT}"' in report


def test_load_keeping_violations_loads_and_says_what_did_not_conform(
    data_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", INVALID, "--on-violation", "keep", "--data-dir", data_dir]) == 0
    assert "R03   Violation  1        1" in capsys.readouterr().out
    assert graph_iri(DEFAULT_BASE, "R03-invalid-01") in graphs(data_dir)


def test_load_puts_a_file_into_the_graph_asked_for(data_dir: str) -> None:
    target = graph_iri(DEFAULT_BASE, "lao-pao-40")
    assert main(["load", VALID, "--graph", target, "--data-dir", data_dir]) == 0
    assert graphs(data_dir)[target] == len(list(ox.parse(path=VALID)))


def test_validate_on_a_fresh_store_uses_the_bundled_data_as_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plan = str(PROJECT_ROOT / "data" / "ttl" / "sample" / "lao-pao-40.ttl")
    assert main(["validate", plan, "--memory", "--lang", "en"]) == 0
    assert "lao-pao-40.ttl: conforms" in capsys.readouterr().out


def test_load_keeps_the_named_graphs_of_a_trig_file(data_dir: str, tmp_path: Path) -> None:
    custom = graph_iri(DEFAULT_BASE, "custom")
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(custom))
        for q in ox.parse(path=VALID)
    ]
    trig = tmp_path / "plan.trig"
    trig.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG) or b"")
    assert main(["load", str(trig), "--data-dir", data_dir]) == 0
    loaded = graphs(data_dir)
    assert loaded[custom] == len(quads)
    assert graph_iri(DEFAULT_BASE, "plan") not in loaded


def test_a_file_of_unknown_format_is_unreadable(
    data_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "plan.docx"
    notes.write_bytes(b"not rdf")
    assert main(["load", str(notes), "--data-dir", data_dir]) == 2
    assert "plan.docx" in capsys.readouterr().err
