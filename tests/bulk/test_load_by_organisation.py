"""``kgservice load --by-organisation``: every statement in its organisation's graph, validated
organisation by organisation, on a real on-disk store, whose default graph is then the set union
of its named graphs."""

import gzip
import json
import shutil
from pathlib import Path

import pytest
from loaded import default_graph_is_the_union, graphs, report

from kgservice.cli import main
from kgservice.namespaces import DEFAULT_BASE, graph_iri

GENERATED = "provincial-40", "lao-pao-40", "lao-mun-400102", "lao-sao-400104"


def load(*arguments: object) -> int:
    return main(["load", *map(str, arguments)])


def load_by_organisation(file: Path, data_dir: Path, report: Path, on_violation: str) -> int:
    return load(
        file, "--by-organisation", "--on-violation", on_violation, "--report", report,
        "--data-dir", data_dir,
    )  # fmt: skip


def test_each_statement_goes_to_the_graph_of_the_organisation_that_owns_it(
    national_file: Path, data_dir: Path, expected_graphs: dict[str, int], tmp_path: Path
) -> None:
    # kept: the generated plans carry imperfections on purpose (orphan projects and others)
    assert load_by_organisation(national_file, data_dir, tmp_path / "r.jsonl", "keep") == 0
    stored = graphs(data_dir)
    assert {g: stored.get(g) for g in expected_graphs} == expected_graphs
    assert stored[graph_iri(DEFAULT_BASE, "derived")] > 0
    assert default_graph_is_the_union(data_dir)


def test_a_second_load_of_the_same_plans_keeps_the_default_graph_their_union(
    national_file: Path, data_dir: Path, expected_graphs: dict[str, int], tmp_path: Path
) -> None:
    for _ in range(2):  # the second replaces every organisation's graph
        assert load_by_organisation(national_file, data_dir, tmp_path / "r.jsonl", "keep") == 0
    stored = graphs(data_dir)
    assert {g: stored.get(g) for g in expected_graphs} == expected_graphs
    assert default_graph_is_the_union(data_dir)


def test_the_report_lists_every_finding_with_its_organisation_rule_and_focus_node(
    national_file: Path,
    generated: Path,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_by_organisation(national_file, data_dir, tmp_path / "r.jsonl", "keep")
    findings = report(tmp_path / "r.jsonl")
    expected = json.loads((generated / "manifest.json").read_text())["expected"]
    by_rule = {
        rule: sum(1 for f in findings if f["rule"] == rule) for rule in ("R03", "R08", "R13")
    }
    assert by_rule == {
        "R03": expected["orphan_projects"],
        "R08": expected["out_of_period_allocations"],
        "R13": expected["indicators_without_target"],
    }
    orphan = next(f for f in findings if f["rule"] == "R03")
    owner = str(orphan["organisation"])
    assert str(orphan["focusNode"]).startswith(f"{DEFAULT_BASE}plan/{owner}-")
    assert orphan["graph"] == graph_iri(DEFAULT_BASE, owner)
    assert set(orphan["message"]) == {"th", "en"}  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert f"R03   Violation  {expected['orphan_projects']}" in out


def test_one_gzip_file_and_the_files_of_each_organisation_load_the_same(
    national_file: Path, organisation_files: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    packed = tmp_path / "national.nt.gz"
    packed.write_bytes(gzip.compress(national_file.read_bytes()))
    other = tmp_path / "other"
    shutil.copytree(data_dir, other)
    keep = ["--by-organisation", "--on-violation", "keep", "--report", tmp_path / "r.jsonl"]
    assert load(packed, *keep, "--data-dir", data_dir) == 0
    assert load(*organisation_files, *keep, "--data-dir", other) == 0
    assert graphs(data_dir) == graphs(other)


def test_skip_leaves_out_each_organisation_that_does_not_conform_and_lists_it(
    national_file: Path,
    data_dir: Path,
    expected_graphs: dict[str, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = graphs(data_dir)
    assert load_by_organisation(national_file, data_dir, tmp_path / "r.jsonl", "skip") == 1
    violating = {f["graph"] for f in report(tmp_path / "r.jsonl") if f["severity"] == "Violation"}
    assert violating and violating < set(expected_graphs)
    stored = graphs(data_dir)
    for graph, statements in expected_graphs.items():
        assert stored.get(graph) == (before.get(graph) if graph in violating else statements)
    assert default_graph_is_the_union(data_dir)
    assert f"left out {len(violating)} graphs that do not conform" in capsys.readouterr().out


def test_stop_ends_the_load_at_the_first_batch_that_does_not_conform(
    national_file: Path,
    data_dir: Path,
    expected_graphs: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KGSERVICE_LOAD_BATCH_STATEMENTS", "2000")  # about one organisation each
    before = graphs(data_dir)
    assert (
        load(
            national_file,
            "--by-organisation",
            "--report",
            tmp_path / "r.jsonl",
            "--data-dir",
            data_dir,
        )
        == 1
    )
    stored = graphs(data_dir)
    loaded = {g for g in expected_graphs if stored.get(g) != before.get(g)}
    assert loaded  # the provincial plan comes first, and conforms
    assert all(stored[g] == expected_graphs[g] for g in loaded)  # each one whole
    assert len(loaded) < len(expected_graphs)
    assert "stopped at" in capsys.readouterr().out
    assert default_graph_is_the_union(data_dir)


def test_statements_no_organisation_owns_are_reported_and_not_loaded(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = tmp_path / "stray.nt"
    stray.write_text(
        '<https://example.org/note/1> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
        '<https://example.org/note/1> <http://www.w3.org/2000/01/rdf-schema#comment> "y" .\n'
    )
    before = graphs(data_dir)
    assert (
        load(stray, "--by-organisation", "--report", tmp_path / "r.jsonl", "--data-dir", data_dir)
        == 0
    )
    assert graphs(data_dir) == before
    (entry,) = report(tmp_path / "r.jsonl")
    assert (entry["rule"], entry["focusNode"], entry["statements"]) == (
        "unplaced",
        "https://example.org/note/1",
        2,
    )
    assert "not loaded: 2 statements about 1 subjects" in capsys.readouterr().out


def test_areas_are_added_to_the_reference_graph_not_put_in_place_of_it(
    data_dir: Path, tmp_path: Path
) -> None:
    area = tmp_path / "area.ttl"
    area.write_text(
        f'<{DEFAULT_BASE}area/40> <http://www.w3.org/2000/01/rdf-schema#comment> "ขอนแก่น"@th .\n'
    )
    areas = graph_iri(DEFAULT_BASE, "areas")
    before = graphs(data_dir)[areas]
    assert (
        load(area, "--by-organisation", "--report", tmp_path / "r.jsonl", "--data-dir", data_dir)
        == 0
    )
    assert graphs(data_dir)[areas] == before + 1
