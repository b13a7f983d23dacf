"""A batch is validated with the part of the knowledge graph it links to: a plan of another
province that a local government's strategy supports, whether it came in an earlier batch of the
same load or from an earlier load, and what another graph says of the batch's own nodes."""

from pathlib import Path

import pytest
from loaded import report

from kgservice.cli import main
from kgservice.namespaces import DEFAULT_BASE, graph_iri

TP = "https://w3id.org/thaiplan/ontology#"
LAO = "lao-sao-400104"
LAO_PLAN = f"{DEFAULT_BASE}plan/{LAO}-2566-2570"
OTHER_PLAN = f"{DEFAULT_BASE}plan/provincial-41-2566-2570"


def load(files: list[Path], data_dir: Path, report_path: Path, *options: str) -> int:
    arguments = [*map(str, files), *options, "--on-violation", "keep"]
    return main(["load", *arguments, "--report", str(report_path), "--data-dir", str(data_dir)])


@pytest.fixture
def other_province(generated: Path, tmp_path: Path) -> Path:
    """Province 41's plan: province 40's, renamed and placed in area 41."""
    text = (generated / "provincial-40.nt").read_text()
    path = tmp_path / "provincial-41.nt"
    path.write_text(text.replace("-40", "-41").replace("area/40>", "area/41>"))
    return path


@pytest.fixture
def linked_across(generated: Path, tmp_path: Path) -> Path:
    """The local government's plan, one of its strategies also supporting province 41's."""
    link = f"<{LAO_PLAN}/strategy/1> <{TP}supports> <{OTHER_PLAN}/strategy/1> .\n"
    path = tmp_path / f"{LAO}.nt"
    path.write_text((generated / f"{LAO}.nt").read_text() + link)
    return path


def outside_the_province(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    """R11: the local plan's area is not within the area of a provincial plan it supports."""
    return [f for f in findings if f["rule"] == "R11" and f["focusNode"] == LAO_PLAN]


def test_a_link_to_another_provinces_plan_earlier_in_the_load_is_checked_against_it(
    generated: Path, other_province: Path, linked_across: Path, data_dir: Path, tmp_path: Path
) -> None:
    files = [generated / "provincial-40.nt", other_province, linked_across]
    assert load(files, data_dir, tmp_path / "r.jsonl", "--by-organisation") == 0
    findings = report(tmp_path / "r.jsonl")
    (found,) = outside_the_province(findings)
    assert (found["value"], found["graph"]) == (OTHER_PLAN, graph_iri(DEFAULT_BASE, LAO))
    assert not [f for f in findings if f["rule"] == "R06"]  # the supported strategy was seen


def test_a_link_to_another_provinces_plan_from_an_earlier_load_is_checked_against_it(
    generated: Path, other_province: Path, linked_across: Path, data_dir: Path, tmp_path: Path
) -> None:
    provinces = [generated / "provincial-40.nt", other_province]
    assert load(provinces, data_dir, tmp_path / "first.jsonl", "--by-organisation") == 0
    assert load([linked_across], data_dir, tmp_path / "r.jsonl", "--by-organisation") == 0
    findings = report(tmp_path / "r.jsonl")
    (found,) = outside_the_province(findings)
    assert found["value"] == OTHER_PLAN
    assert not [f for f in findings if f["rule"] == "R06"]


def test_what_another_graph_says_of_a_batchs_own_node_is_part_of_its_validation(
    generated: Path, data_dir: Path, tmp_path: Path
) -> None:
    provincial = generated / "provincial-40.nt"
    assert load([provincial], data_dir, tmp_path / "first.jsonl", "--by-organisation") == 0
    elsewhere = tmp_path / "elsewhere.nt"  # the strategy put in a second plan by another graph
    provincial_plan = f"{DEFAULT_BASE}plan/provincial-40-2566-2570"
    elsewhere.write_text(f"<{LAO_PLAN}/strategy/1> <{TP}partOf> <{provincial_plan}> .\n")
    other = graph_iri(DEFAULT_BASE, "elsewhere")
    assert load([elsewhere], data_dir, tmp_path / "second.jsonl", "--graph", other) == 0
    own = [generated / f"{LAO}.nt"]
    assert load(own, data_dir, tmp_path / "r.jsonl", "--by-organisation") == 0
    in_two_plans = [
        f
        for f in report(tmp_path / "r.jsonl")
        if f["rule"] == "R02" and f["focusNode"] == f"{LAO_PLAN}/strategy/1"
    ]
    assert {f["value"] for f in in_two_plans} <= {LAO_PLAN, provincial_plan}
    assert in_two_plans and {f["graph"] for f in in_two_plans} == {graph_iri(DEFAULT_BASE, LAO)}
