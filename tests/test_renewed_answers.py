"""Answers kept by the store's version (named queries not split by province) after a write: the
service computes again, once, those that readers asked for, and a reader is not refused for its
share of the heavy queries' turns over an answer the service has or is computing."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from queries_support import SETTINGS, SlowStore, counted_client, eventually, sent_again

from kgservice.bootstrap import bootstrap

ORG = "lao-sao-400102"
OWNER = f"https://w3id.org/thaiplan/id/org/{ORG}"
CALENDAR = "/queries/calendar-misalignment"
PARALLEL = "/queries/parallel-plans"
SUPPORTING = "/queries/supporting-local-plans?strategy=https://w3id.org/thaiplan/id/plan/provincial-40-2566-2570/strategy/2"
READER = "testclient"
"""The address ``TestClient`` gives every request: one client, as readers behind one proxy."""


@pytest.fixture
def store() -> SlowStore:
    store = SlowStore()
    bootstrap(store, SETTINGS)
    return store


@pytest.fixture
def client(store: SlowStore, tmp_path: Path) -> TestClient:
    # every computation of an answer is heavy
    return counted_client(store, tmp_path, heavy_query_after_s=0.02, heavy_queries=3)


def calendar_runs(store: SlowStore) -> int:
    return store.ran("outsidePeriodOf", "periodDisjointFrom")


def test_a_reader_past_its_share_gets_an_answer_the_service_had_before_the_write(
    client: TestClient,
) -> None:
    before = client.get(CALENDAR)
    assert before.status_code == 200
    sent_again(client, ORG)
    turns = client.app.state.turns  # type: ignore[attr-defined]
    turns.take_now(READER)  # the reader's one heavy query is running elsewhere
    try:
        again = client.get(CALENDAR)
        never_asked = client.get(PARALLEL)
    finally:
        turns.give_back(READER)
    assert again.status_code == 200
    assert again.content == client.get(CALENDAR, headers={"Cache-Control": "no-cache"}).content
    # a question the service never answered is the reader's own heavy query, past its share
    assert never_asked.status_code == 429
    assert never_asked.json()["error"] == "too_many_requests"


def test_after_a_write_the_service_computes_again_once_what_readers_asked(
    client: TestClient, store: SlowStore
) -> None:
    client.get(CALENDAR)
    assert calendar_runs(store) == 1
    sent_again(client, ORG)
    eventually(lambda: calendar_runs(store) == 2)  # no reader asked since the write
    kept = client.get(CALENDAR)
    assert kept.status_code == 200
    assert calendar_runs(store) == 2  # the reader was given the service's computation
    assert kept.content == client.get(CALENDAR, headers={"Cache-Control": "no-cache"}).content


def test_after_a_write_only_the_rows_of_the_organisations_it_reached_are_computed_again(
    client: TestClient, store: SlowStore
) -> None:
    def runs(*words: str) -> int:
        return store.ran("?projectLabel", *words)  # supporting-local-plans' text, whole or bound

    client.get(SUPPORTING)
    assert runs() == 1
    sent_again(client, ORG)
    eventually(lambda: runs(f"<{OWNER}>") == 1)
    kept = client.get(SUPPORTING)
    assert kept.status_code == 200
    assert runs() - runs("/thaiplan/id/org/") == 1  # never computed whole again
    assert kept.content == client.get(SUPPORTING, headers={"Cache-Control": "no-cache"}).content
    assert OWNER in kept.text
