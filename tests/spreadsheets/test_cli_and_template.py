"""The template's layout and lists, and the command line's import and export-sheet."""

import io
from pathlib import Path

import pytest
from conftest import ORG, edited
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kgservice.cli import main

KK2 = "ประเด็นยุทธศาสตร์ที่ ๒ การพัฒนาเมืองน่าอยู่และโครงสร้างพื้นฐานอัจฉริยะ"


def test_the_template_has_thai_headings_with_english_beneath_and_one_sheet_per_kind(
    client: TestClient,
) -> None:
    book = load_workbook(io.BytesIO(client.get("/spreadsheets/template.xlsx").content))
    assert book.sheetnames == ["คำแนะนำ", "แผน", "ยุทธศาสตร์", "แผนงาน", "โครงการ", "รายการ"]
    projects = book["โครงการ"]
    assert [projects["D1"].value, projects["D2"].value] == ["ที่", "No."]
    assert projects["S1"].value == "ตัวชี้วัด (KPI)"
    assert projects.max_row == 2  # blank


def test_drop_downs_offer_levels_years_and_the_provinces_strategies(client: TestClient) -> None:
    answer = client.get(f"/spreadsheets/template.xlsx?org={ORG}")
    book = load_workbook(io.BytesIO(answer.content))
    lists = book["รายการ"]
    offered = {c.value for row in lists.iter_rows() for c in row}
    assert {"ระดับท้องถิ่น", "2566", "2570", KK2} <= offered
    validations = {str(v.sqref): v.formula1 for v in book["แผน"].data_validations.dataValidation}
    assert any(ref.startswith("E3") for ref in validations)  # level
    assert any(ref.startswith("F3") for ref in validations)  # first fiscal year


def test_the_template_without_an_organisation_offers_no_local_strategies(
    client: TestClient,
) -> None:
    book = load_workbook(io.BytesIO(client.get("/spreadsheets/template.xlsx").content))
    offered = {c.value for row in book["รายการ"].iter_rows() for c in row}
    assert KK2 not in offered


def test_an_unknown_organisation_has_no_workbook(client: TestClient) -> None:
    assert client.get("/spreadsheets/lao-sao-999999.xlsx").status_code == 404
    assert client.get("/spreadsheets/ontology.xlsx").status_code == 404
    assert client.get("/spreadsheets/a%20b%3C.xlsx").status_code == 404
    assert client.get("/spreadsheets/template.xlsx?org=a%20b").status_code == 404


def test_the_command_line_exports_and_imports_with_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KGSERVICE_TOKENS_FILE", str(tmp_path / "tokens.json"))
    store = ["--data-dir", str(tmp_path / "store")]
    workbook = tmp_path / "plan.xlsx"
    assert main(["export-sheet", ORG, "-o", str(workbook), *store]) == 0
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(edited(workbook.read_bytes(), {("โครงการ", "K3"): "สี่แสนห้า"}))
    capsys.readouterr()
    assert main(["import", str(broken), "--org", ORG, "--dry-run", *store]) == 1
    printed = capsys.readouterr().out
    assert "โครงการ  3    K       cell-number" in printed
    assert "conforms: false; triples: 194; not committed" in printed
    assert main(["import", str(workbook), "--org", ORG, *store]) == 0
    assert "conforms: true; triples: 195; committed" in capsys.readouterr().out
