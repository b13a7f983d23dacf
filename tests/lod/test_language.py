"""One Accept-Language rule for every answer: a page and a validation report asked with the same
header come back in the same language, the one the header weighs highest."""

import pytest
from fastapi.testclient import TestClient

from kgservice.settings import PROJECT_ROOT
from kgservice.web.language import preferred_language

KK1 = "plan/provincial-40-2566-2570/strategy/1"
INVALID = (PROJECT_ROOT / "tests" / "shapes" / "R03-invalid-01.ttl").read_bytes()


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "th"),
        ("", "th"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("th-TH,th;q=0.9,en;q=0.8", "th"),
        ("en;q=0.5,th;q=0.8", "th"),
        ("fr,de;q=0.9", "th"),
        ("fr,en;q=0.3", "en"),
    ],
)
def test_accept_language_chooses_thai_or_english(header: str | None, lang: str) -> None:
    assert preferred_language(header) == lang


@pytest.mark.parametrize(
    ("header", "lang"),
    [("en;q=0.5, th;q=0.9", "th"), ("th;q=0.4, en;q=0.8", "en"), ("en, th", "en")],
)
def test_a_page_and_a_report_answer_one_header_in_one_language(
    client: TestClient, header: str, lang: str
) -> None:
    page = client.get(f"/id/{KK1}", headers={"Accept-Language": header, "Accept": "text/html"})
    report = client.post(
        "/validate",
        content=INVALID,
        headers={"Content-Type": "text/turtle", "Accept-Language": header},
    )
    assert page.headers["content-language"] == lang
    assert report.headers["content-language"] == lang
