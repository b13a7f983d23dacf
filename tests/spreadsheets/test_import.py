"""Importing an office's workbook: converted through the mapping, validated, committed as a PUT
of the organisation's graph, or only reported; every result names its cell."""

import io
from collections.abc import Callable

from conftest import BASE, ORG, PLAN, edited, graph_content, send
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kgservice.derived import upkeep

Token = Callable[..., str]
# In the export of lao-sao-400102: row 3 of sheet โครงการ is project 1 (450,000 baht in plan
# year 2, 2567, column K); row 3 of sheet ยุทธศาสตร์ is strategy 1, supporting Khon Kaen's
# strategy 2 (column F); the plan's first year is in column F of sheet แผน.
PROJECTS, STRATEGIES, PLANS = "โครงการ", "ยุทธศาสตร์", "แผน"
TP = "https://w3id.org/thaiplan/ontology#"
KK2 = "ประเด็นยุทธศาสตร์ที่ ๒ การพัฒนาเมืองน่าอยู่และโครงสร้างพื้นฐานอัจฉริยะ"


def results_at(body: dict[str, object]) -> dict[tuple[str, int, str], dict[str, object]]:
    found = body["results"]
    assert isinstance(found, list)
    return {(r["sheet"], r["row"], r["column"]): r for r in found}


def test_an_exported_workbook_imported_again_changes_nothing(
    client: TestClient, token: Token, exported: bytes
) -> None:
    before = graph_content(client)
    status, body = send(client, exported, token(), dry_run=False)
    assert status == 200 and body["conforms"] is True and body["committed"] is True
    assert body["triples"] == len(before) == 195
    assert graph_content(client) == before


def test_a_workbook_sent_twice_changes_nothing_the_second_time_and_is_recorded_twice(
    client: TestClient, token: Token, exported: bytes
) -> None:
    changed = edited(exported, {(PROJECTS, "K3"): "1,250,000"})
    assert send(client, changed, token(), dry_run=False)[0] == 200
    content, derived = graph_content(client), graph_content(client, "derived")
    before = submissions(client)
    status, body = send(client, changed, token(), dry_run=False)
    assert (status, body["committed"]) == (200, True)
    assert graph_content(client) == content
    assert graph_content(client, "derived") == derived
    writes = client.app.state.writes  # type: ignore[attr-defined]
    upkeep.refresh(writes.store, writes.settings)  # what the derived data should be
    assert graph_content(client, "derived") == derived
    assert submissions(client) == before + 1


def submissions(client: TestClient) -> int:
    store = client.app.state.writes.store  # type: ignore[attr-defined]
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{TP}Submission> }}")
    return int(next(iter(rows))["n"].value)


def test_a_dry_run_reports_and_stores_nothing(
    client: TestClient, token: Token, exported: bytes
) -> None:
    before = graph_content(client)
    changed = edited(exported, {(PROJECTS, "K3"): "1,250,000"})
    status, body = send(client, changed, token())
    assert (status, body["conforms"], body["committed"]) == (200, True, False)
    assert graph_content(client) == before


def test_commas_and_thai_digits_are_amounts(
    client: TestClient, token: Token, exported: bytes
) -> None:
    changed = edited(exported, {(PROJECTS, "K3"): "๑,๒๕๐,๐๐๐"})
    status, _ = send(client, changed, token(), dry_run=False)
    amount = f'<{PLAN}/project/1/budget/2567> <https://w3id.org/thaiplan/ontology#amount> "1250000"'
    assert status == 200
    assert any(t.startswith(amount) for t in graph_content(client))


def test_text_in_an_amount_is_a_result_at_its_cell_and_nothing_changes(
    client: TestClient, token: Token, exported: bytes
) -> None:
    before = graph_content(client)
    changed = edited(exported, {(PROJECTS, "K3"): "สี่แสนห้า"})
    status, body = send(client, changed, token(), dry_run=False)
    assert status == 422 and body["error"] == "validation_failed"
    result = results_at(body)[(PROJECTS, 3, "K")]
    assert result["rule"] == "cell-number"
    assert result["focusNode"] == f"{PLAN}/project/1/budget/2567"
    assert "สี่แสนห้า" in result["message"]["th"] and "a number" in result["message"]["en"]
    assert len(body["results"]) == 1  # the empty amount is not reported a second time by R06
    assert graph_content(client) == before


def test_a_christian_era_year_gets_the_buddhist_era_proposed(
    client: TestClient, token: Token, exported: bytes
) -> None:
    status, body = send(client, edited(exported, {(PLANS, "F3"): 2023}), token())
    result = results_at(body)[(PLANS, 3, "F")]
    assert status == 422 and result["rule"] == "cell-year-christian-era"
    assert "2566" in result["message"]["th"] and "2566" in result["message"]["en"]


def test_a_strategy_typed_by_its_thai_name_is_matched(
    client: TestClient, token: Token, exported: bytes
) -> None:
    # spaces and Thai digits as someone might type them
    typed = "ประเด็นยุทธศาสตร์ที่  2  การพัฒนาเมืองน่าอยู่และโครงสร้างพื้นฐานอัจฉริยะ"
    status, body = send(client, edited(exported, {(STRATEGIES, "F3"): typed}), token())
    assert (status, body["results"]) == (200, [])


def test_an_unknown_strategy_is_a_result_with_the_closest_name(
    client: TestClient, token: Token, exported: bytes
) -> None:
    typed = "ประเด็นยุทธศาสตร์ที่ ๒ การพัฒนาเมืองน่าอยู่"
    status, body = send(client, edited(exported, {(STRATEGIES, "F3"): typed}), token())
    result = results_at(body)[(STRATEGIES, 3, "F")]
    assert status == 422 and result["rule"] == "unknown-strategy"
    assert KK2 in result["message"]["th"] and KK2 in result["message"]["en"]
    assert result["focusNode"] == f"{PLAN}/strategy/1"


def test_a_shape_violation_points_at_the_cell_of_its_focus_and_path(
    client: TestClient, token: Token, exported: bytes
) -> None:
    # no Thai name: rule R01 on the project, path rdfs:label -> the name column (E)
    status, body = send(client, edited(exported, {(PROJECTS, "E4"): None}), token())
    found = results_at(body)
    assert status == 422
    assert found[(PROJECTS, 4, "E")]["rule"] in {"cell-required", "R01"}
    assert found[(PROJECTS, 4, "E")]["focusNode"] == f"{PLAN}/project/2"


def test_a_plan_rule_is_reported_at_the_plan_cell(
    client: TestClient, token: Token, exported: bytes
) -> None:
    # a local plan ending in 2568 covers three years, not five: rule R09 on tp:endFiscalYear
    status, body = send(client, edited(exported, {(PLANS, "G3"): 2568}), token())
    found = results_at(body)
    assert found[(PLANS, 3, "G")]["rule"] == "R09"


def test_another_organisations_token_is_refused(
    client: TestClient, token: Token, exported: bytes
) -> None:
    before = graph_content(client)
    status, body = send(client, exported, token("lao-sao-400111"), dry_run=False)
    assert (status, body["error"]) == (403, "forbidden")
    assert graph_content(client) == before


def test_an_administrator_may_import_for_an_organisation(
    client: TestClient, token: Token, exported: bytes
) -> None:
    status, body = send(client, exported, token("lao-sao-400111", admin=True), dry_run=False)
    assert (status, body["committed"]) == (200, True)


def test_no_token_no_import(client: TestClient, exported: bytes) -> None:
    answer = client.post(f"/spreadsheets/{ORG}", content=exported)
    assert answer.status_code == 401


NEW_ROW = {
    "B": "1",
    "D": 9,
    "E": "โครงการขุดลอกคลองสาธารณะ หมู่ 2",
    "I": 150000,
    "J": "รายได้ขององค์กรปกครองส่วนท้องถิ่น",
    "S": "ความยาวคลองที่ขุดลอก",
    "T": 500,
    "U": "เมตร",
}
"""A project added in row 11 of sheet โครงการ, numbered 9."""


def with_new_row(exported: bytes) -> bytes:
    return edited(exported, {(PROJECTS, f"{c}11"): v for c, v in NEW_ROW.items()})


def test_a_new_project_row_gets_its_key_from_its_number(
    client: TestClient, token: Token, exported: bytes
) -> None:
    changed = with_new_row(exported)
    status, _ = send(client, changed, token(), dry_run=False)
    assert status == 200
    content = graph_content(client)
    assert (
        f"<{PLAN}/project/9> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"โครงการขุดลอกคลองสาธารณะ หมู่ 2"@th' in content
    )
    assert (
        f"<{PLAN}/project/9> <https://w3id.org/thaiplan/ontology#budget> "
        f"<{PLAN}/project/9/budget/2566>" in content
    )


def test_the_organisations_own_description_is_kept(
    client: TestClient, token: Token, exported: bytes
) -> None:
    send(client, exported, token(), dry_run=False)
    org = f"<{BASE}org/{ORG}> <https://w3id.org/thaiplan/ontology#jurisdiction> "
    assert any(t.startswith(org) for t in graph_content(client))


def test_a_dry_run_refuses_what_the_commit_would_refuse_another_graphs_resources(
    client: TestClient, token: Token, exported: bytes
) -> None:
    # a row keyed under the PAO's plan describes lao-pao-40's own project 1
    theirs = "lao-pao-40-2566-2570"
    changed = edited(exported, {(PROJECTS, "A3"): theirs})
    status, body = send(client, changed, token())
    assert (status, body["error"]) == (403, "forbidden")
    assert f"{BASE}plan/{theirs}/project/1" in body["message"]


def test_a_budget_of_a_plan_without_years_is_a_result_not_dropped(
    client: TestClient, token: Token, exported: bytes
) -> None:
    changed = edited(exported, {(PLANS, "F3"): None, (PROJECTS, "K3"): 450000})
    status, body = send(client, changed, token())
    found = results_at(body)
    assert status == 422
    assert found[(PLANS, 3, "F")]["rule"] == "cell-required"
    assert found[(PROJECTS, 3, "K")]["rule"] == "plan-years-unknown"


def test_the_forms_objective_target_output_and_responsible_unit_are_kept(
    client: TestClient, token: Token, exported: bytes
) -> None:
    form = {
        "G": "เพื่อให้ประชาชนสัญจรได้สะดวก",
        "H": "ถนน คสล. กว้าง 5 เมตร ยาว 200 เมตร",
        "AA": "กองช่าง",
    }
    changed = edited(exported, {(PROJECTS, f"{c}3"): v for c, v in form.items()})
    status, _ = send(client, changed, token(), dry_run=False)
    assert status == 200
    content = graph_content(client)
    names = ("objective", "targetOutput", "responsibleUnit")
    for name, value in zip(names, form.values(), strict=True):
        statement = f'<{PLAN}/project/1> <https://w3id.org/thaiplan/ontology#{name}> "{value}"@th'
        assert statement in content
    again = load_workbook(io.BytesIO(client.get(f"/spreadsheets/{ORG}.xlsx").content))
    assert {c: again[PROJECTS][f"{c}3"].value for c in form} == form


def test_a_committed_workbook_is_found_by_search_and_a_dry_run_is_not(
    client: TestClient, token: Token, exported: bytes
) -> None:
    def found() -> set[str]:
        params = {"q": "ขุดลอกคลองสาธารณะ", "format": "json", "limit": 100}
        answer = client.get("/search", params=params)
        assert answer.status_code == 200, answer.text
        return {result["iri"] for result in answer.json()["results"]}

    changed = with_new_row(exported)
    assert f"{PLAN}/project/9" not in found()
    assert send(client, changed, token())[0] == 200
    assert f"{PLAN}/project/9" not in found()
    assert send(client, changed, token(), dry_run=False)[0] == 200
    assert f"{PLAN}/project/9" in found()
