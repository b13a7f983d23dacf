"""/search and /search/suggest on the bundled data; expected answers worked out from data/ttl."""

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

BASE = "https://w3id.org/thaiplan/id/"
TP = "https://w3id.org/thaiplan/ontology#"
ROADS = Counter(
    {
        "โครงการก่อสร้างถนน คสล. หมู่ ๓ ตำบลสำราญ": 1,  # lao-pao-40
        "ความยาวถนน คสล. ที่ก่อสร้างแล้วเสร็จ": 1,  # its indicator
        "โครงการซ่อมแซมถนน คสล. หมู่ ๙": 1,  # lao-sao-400111
        "ก่อสร้างถนน คสล.หมู่ 3 ตำบลสำราญ": 1,  # lao-sao-400102
        "โครงการก่อสร้างถนน คสล. หมู่ ๔": 1,  # lao-sao-401014
        "โครงการก่อสร้างถนน คสล. ซอยเทศบาล ๑๒": 1,  # lao-mun-401001
        "ความยาวถนน คสล. ที่ก่อสร้าง": 3,  # the indicators of the last three
        "โครงการวางท่อระบายน้ำ คสล. ถนนเจนจบทิศ": 1,  # lao-mun-401001: the words, not the phrase
    }
)
"""Every label with the words ถนน and คสล (grep -rn คสล data/ttl)."""


def found(client: TestClient, q: str, **params: Any) -> dict[str, Any]:
    response = client.get("/search", params={"q": q, "format": "json", **params})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_words_are_matched_not_substrings(client: TestClient) -> None:
    answer = found(client, "นา", limit=100)
    iris = {r["iri"] for r in answer["results"]}
    assert f"{BASE}area/931102" in iris  # ตำบลบ้านนา
    assert f"{BASE}plan/nesdp-13" not in iris  # แผนพัฒนาเศรษฐกิจ...: พัฒนา holds นา, not the word
    assert all("พัฒนา" not in r["label"] for r in answer["results"])


def test_road_and_abbreviation_hand_worked(client: TestClient) -> None:
    answer = found(client, "ถนน คสล.")
    assert answer["total"] == 10
    assert Counter(r["label"] for r in answer["results"]) == ROADS
    # the words stand together as typed in every label but the last
    assert answer["results"][-1]["label"] == "โครงการวางท่อระบายน้ำ คสล. ถนนเจนจบทิศ"


def test_an_abbreviation_is_found_by_its_meaning(client: TestClient) -> None:
    by_meaning = found(client, "ถนนคอนกรีตเสริมเหล็ก")
    assert Counter(r["label"] for r in by_meaning["results"]) == ROADS


def test_thai_and_arabic_digits_are_the_same(client: TestClient) -> None:
    thai, arabic = found(client, "หมู่ ๙"), found(client, "หมู่ 9")
    assert [r["label"] for r in thai["results"]] == ["โครงการซ่อมแซมถนน คสล. หมู่ ๙"]
    assert arabic["results"] == thai["results"]


def test_a_leading_project_word_is_optional(client: TestClient) -> None:
    labels = [r["label"] for r in found(client, "โครงการขุดลอกคลอง")["results"]]
    assert labels == ["โครงการขุดลอกคลองระบายน้ำสาธารณะ", "ความยาวคลองที่ขุดลอก"]


@pytest.mark.parametrize(
    "q", ['"ถนน" "คสล."', "ถนน* คสล.", "(ถนน) +คสล.", "ถนน^ คสล.~", "ถนน คสล. [", "ถนน\\ คสล."]
)
def test_query_syntax_is_only_text(client: TestClient, q: str) -> None:
    assert found(client, q) == {**found(client, "ถนน คสล."), "q": q}


def test_a_field_name_is_a_word(client: TestClient) -> None:
    assert found(client, "label:ถนน")["total"] == 0  # no label has the word "label"


@pytest.mark.parametrize("q", ["", "   ", "***", "x" * 201])
def test_empty_or_overlong_text_is_a_400(client: TestClient, q: str) -> None:
    for path in ("/search", "/search/suggest"):
        response = client.get(path, params={"q": q, "format": "json"})
        assert response.status_code == 400
        assert response.json()["error"] == "bad_request"


def test_type_counts_subclasses(client: TestClient) -> None:
    answer = found(client, "แผนพัฒนา", type=f"{TP}Plan", limit=100)
    types = {t for r in answer["results"] for t in r["types"]}
    assert types == {
        f"{TP}NationalDevelopmentPlan",
        f"{TP}ProvincialDevelopmentPlan",
        f"{TP}LocalDevelopmentPlan",
    }
    assert answer["results"][0]["iri"] == f"{BASE}plan/nesdp-13"  # the national level first


def test_within_an_area_and_the_areas_inside_it(client: TestClient) -> None:
    answer = found(client, "ถนน คสล.", within=f"{BASE}area/4010")  # อำเภอบ้านไผ่
    assert {r["iri"] for r in answer["results"]} == {
        f"{BASE}plan/lao-sao-401014-2566-2570/project/1",
        f"{BASE}plan/lao-mun-401001-2566-2570/project/1",
        f"{BASE}plan/lao-mun-401001-2566-2570/project/2",
    }


def test_limit_and_offset_page_through(client: TestClient) -> None:
    everything = found(client, "ถนน", limit=20)["results"]
    assert found(client, "ถนน", limit=5, offset=5)["results"] == everything[5:10]
    for bad in ({"limit": 101}, {"limit": 0}, {"offset": -1}):
        assert client.get("/search", params={"q": "ถนน", **bad}).status_code in (400, 422)


def test_suggestions_start_with_what_was_typed(client: TestClient) -> None:
    response = client.get("/search/suggest", params={"q": "ขุดล"})
    assert response.status_code == 200
    assert {s["label"] for s in response.json()["suggestions"]} == {
        "ขุดลอกหนองน้ำสาธารณะ ตำบลแดงใหญ่",
        "โครงการขุดลอกหนองน้ำสาธารณะ ตำบลแดงใหญ่",
        "โครงการขุดลอกคลองระบายน้ำสาธารณะ",
    }


def test_at_most_ten_suggestions(client: TestClient) -> None:
    suggestions = client.get("/search/suggest", params={"q": "แผน"}).json()["suggestions"]
    assert len(suggestions) == 10
    assert all(s["label"].startswith("แผน") for s in suggestions)


def test_results_page_marks_the_words_and_offers_facets(client: TestClient) -> None:
    response = client.get("/search", params={"q": "ถนน คสล."}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "โครงการก่อสร้าง<mark>ถนน</mark> <mark>คสล</mark>. หมู่ ๔" in response.text
    assert "ระดับท้องถิ่น" in response.text and "ขอนแก่น" in response.text
    assert f"type={TP.replace(':', '%3A').replace('/', '%2F').replace('#', '%23')}Project" in (
        response.text
    )
