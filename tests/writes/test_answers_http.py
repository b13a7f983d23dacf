"""Named-query answers and the site's figures are kept until the data changes: the same question
gets the same bytes and an ETag (304 when the client has them), and a write is seen by the next
request."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from plan_store import BASE, SAMPLE, Token

from kgservice.settings import Settings
from kgservice.store import Store, union
from kgservice.web.app import create_app

KK = f"{BASE}plan/provincial-40-2566-2570/strategy/"
UNSUPPORTED = "/queries/unsupported-strategies"
KHON_KAEN = {"province": f"{BASE}area/40"}
ORG = "lao-sao-401014"


def strategies(response: object) -> list[str]:
    rows = response.json()["results"]["bindings"]  # type: ignore[attr-defined]
    return [row["strategy"]["value"] for row in rows]


def test_the_same_question_gets_the_kept_answer_and_304_for_its_etag(client: TestClient) -> None:
    first = client.get(UNSUPPORTED, params=KHON_KAEN)
    again = client.get(UNSUPPORTED, params=KHON_KAEN)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    etag = first.headers["etag"]
    assert again.headers["etag"] == etag
    unchanged = client.get(UNSUPPORTED, params=KHON_KAEN, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    # Another format is another answer.
    csv = client.get(UNSUPPORTED, params={**KHON_KAEN, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["etag"] != etag


def put_plan(client: TestClient, token: Token) -> None:
    response = client.put(
        "/data",
        params={"graph": f"{BASE}graph/{ORG}"},
        content=(SAMPLE / f"{ORG}.ttl").read_bytes(),
        headers={"Authorization": f"Bearer {token(ORG)}", "Content-Type": "text/turtle"},
    )
    assert response.status_code == 201, response.text


def projects_on_landing_page(client: TestClient) -> int:
    page = client.get("/").text
    found = re.search(r'id="count-projects">([\d,]+)<', page)
    assert found is not None
    return int(found.group(1).replace(",", ""))


def test_the_landing_page_counts_a_written_plan(client: TestClient, token: Token) -> None:
    before = projects_on_landing_page(client)
    assert projects_on_landing_page(client) == before
    put_plan(client, token)  # Hin Tang SAO's plan has 8 projects
    assert projects_on_landing_page(client) == before + 8


def test_a_write_is_seen_by_the_next_request(client: TestClient, token: Token) -> None:
    # No local plan is loaded: none of Khon Kaen's five strategies has support.
    before = client.get(UNSUPPORTED, params=KHON_KAEN)
    assert strategies(before) == [KK + str(n) for n in range(1, 6)]
    # Hin Tang SAO's plan supports strategies 1, 2 and 4 (its strategy 1 supports kk:2, ...).
    put_plan(client, token)
    after = client.get(UNSUPPORTED, params=KHON_KAEN)
    assert strategies(after) == [KK + "3", KK + "5"]
    assert after.headers["etag"] != before.headers["etag"]
    outdated = {"If-None-Match": before.headers["etag"]}
    assert client.get(UNSUPPORTED, params=KHON_KAEN, headers=outdated).status_code == 200


def test_no_cache_asks_the_engine(settings: Settings, store: Store) -> None:
    # The engine in this process: a change the store object does not see is in no worker's
    # checkpoint either, which follow the store object's changes.
    in_threads = settings.model_copy(update={"query_processes": False})
    with TestClient(create_app(in_threads, store=store)) as client:
        kept = client.get(UNSUPPORTED, params=KHON_KAEN)
        # A change the store object does not see (as on a remote store written by others):
        target = "<https://w3id.org/thaiplan/ontology#summaryTarget>"
        summary = f"<{BASE}derived/support/x> {target} <{KK}5> ."
        store._store.update(union.insert_data(f"{BASE}graph/derived", summary))  # type: ignore[attr-defined]
        assert client.get(UNSUPPORTED, params=KHON_KAEN).content == kept.content
        fresh = client.get(UNSUPPORTED, params=KHON_KAEN, headers={"Cache-Control": "no-cache"})
        assert strategies(fresh) == [KK + str(n) for n in range(1, 5)]


@pytest.fixture
def uncached(tmp_path: Path, store: Store) -> Iterator[TestClient]:
    settings = Settings(memory=True, load_bundled_data=False, answer_cache_mb=0)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def test_with_no_cache_configured_every_request_runs_the_query(uncached: TestClient) -> None:
    response = uncached.get(UNSUPPORTED, params=KHON_KAEN)
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert len(strategies(response)) == 5
