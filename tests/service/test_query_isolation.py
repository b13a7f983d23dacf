"""Runaway queries on the embedded store, on disk or in memory (``--memory``), are contained: each
/sparql query runs in a worker process that is ended at its time or memory limit, heavy queries
take turns, and light queries go on being answered meanwhile. Real worker processes, the real app,
a small real store."""

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from service_support import resident_mb

from kgservice.settings import Settings
from kgservice.store import union
from kgservice.web.app import create_app

EX = "http://example.org/"
LIGHT = {"query": f"ASK {{ <{EX}s7> <{EX}v> 7 }}"}
# 150 values joined four ways: 500 million combinations to filter, minutes of work
SLOW = (
    f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z . ?d <{EX}v> ?w "
    "FILTER(?x + ?y + ?z + ?w < 0) }"
)
# the same product, every row kept to be sorted: gigabytes if nothing stops it
GREEDY = f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z }} ORDER BY RAND()"
IN_MEMORY = {"memory": True}


@pytest.fixture
def client(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    limits = getattr(request, "param", {})
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "product.rq").write_text("#+ summary: every value with every other\n" + SLOW)
    settings = Settings(
        data_dir=tmp_path / "store", load_bundled_data=False, queries_dir=queries, **limits
    )
    with TestClient(create_app(settings)) as running:
        triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
        running.app.state.store.update(union.insert_data(f"{EX}g", triples))  # type: ignore[attr-defined]
        yield running


def workers(client: TestClient) -> list[int]:
    return client.app.state.isolation.processes  # type: ignore[attr-defined, no-any-return]


def in_background(client: TestClient, query: str) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: answers.append(client.get("/sparql", params={"query": query}))
    )
    thread.start()
    return thread, answers


@pytest.mark.parametrize(
    "client", [{"query_timeout_s": 1.0}, {"query_timeout_s": 1.0, **IN_MEMORY}], indirect=True
)
def test_a_query_past_the_time_limit_is_ended_on_time_while_a_light_one_is_answered(
    client: TestClient,
) -> None:
    client.get("/sparql", params=LIGHT)  # a worker is ready
    started = time.monotonic()
    slow, answers = in_background(client, SLOW)
    time.sleep(0.3)
    light = client.get("/sparql", params=LIGHT)
    answered_while_running = slow.is_alive()
    slow.join()
    assert light.json()["boolean"] is True
    assert answered_while_running
    assert answers[0].status_code == 503
    assert answers[0].json()["error"] == "query_timeout"
    assert time.monotonic() - started < 15  # on its time limit, not after the minutes it needs
    # nothing of it goes on running: the next query is answered, not refused as overdue
    assert client.get("/sparql", params=LIGHT).json()["boolean"] is True


@pytest.mark.parametrize(
    "client", [{"query_memory_mb": 200}, {"query_memory_mb": 200, **IN_MEMORY}], indirect=True
)
def test_a_query_past_the_memory_limit_gets_503_and_its_memory_is_given_back(
    client: TestClient,
) -> None:
    client.get("/sparql", params=LIGHT)
    started = time.monotonic()
    greedy = client.get("/sparql", params={"query": GREEDY})
    assert greedy.status_code == 503
    assert (greedy.json()["error"], greedy.json()["memory_mb"]) == ("query_memory_exceeded", 200)
    assert time.monotonic() - started < 20
    assert resident_mb(workers(client) + [os.getpid()]) < resident_mb([os.getpid()]) + 200
    assert client.get("/sparql", params=LIGHT).json()["boolean"] is True


@pytest.mark.parametrize(
    "client", [{"query_memory_mb": 4000, "query_memory_backstop_mb": 300}], indirect=True
)
def test_a_query_past_the_data_limit_gets_503_and_the_next_query_is_answered(
    client: TestClient,
) -> None:
    """The data limit below the resident-memory limit, so that it is the limit that stops the
    query, as it does one that grows faster than the look at its resident memory."""
    client.get("/sparql", params=LIGHT)
    greedy = client.get("/sparql", params={"query": GREEDY})
    assert greedy.status_code == 503
    assert (greedy.json()["error"], greedy.json()["memory_mb"]) == ("query_memory_exceeded", 300)
    assert resident_mb(workers(client)) < 300
    assert client.get("/sparql", params=LIGHT).json()["boolean"] is True


@pytest.mark.parametrize(
    "client",
    [
        {
            "query_timeout_s": 8.0,  # time for the third to become heavy on a busy machine
            "heavy_queries": 1,
            "heavy_query_queue": 1,
            "heavy_query_after_s": 0.2,
            "heavy_queries_per_client": 3,  # the queue, not one client's share, is full
        }
    ],
    indirect=True,
)
def test_a_heavy_query_past_the_queue_gets_503_with_retry_after_while_light_ones_answer(
    client: TestClient,
) -> None:
    running = [in_background(client, SLOW) for _ in range(2)]  # one runs, one waits its turn
    time.sleep(0.8)
    third = client.get("/sparql", params={"query": SLOW})
    light = client.get("/sparql", params=LIGHT)
    for thread, _ in running:
        thread.join()
    assert third.status_code == 503
    assert third.json()["error"] == "server_busy"
    assert third.headers["retry-after"] == "8"
    assert light.json()["boolean"] is True
    assert sorted(answers[0].json()["error"] for _, answers in running) == ["query_timeout"] * 2


@pytest.mark.parametrize("client", [{"query_timeout_s": 1.0}], indirect=True)
def test_a_named_query_whose_answer_is_not_kept_is_ended_in_a_worker_on_time(
    client: TestClient,
) -> None:
    started = time.monotonic()
    named = client.get("/queries/product", headers={"Cache-Control": "no-store"})
    assert (named.status_code, named.json()["error"]) == (503, "query_timeout")
    assert time.monotonic() - started < 15
    assert workers(client)  # where it ran, and was ended
    assert client.get("/sparql", params=LIGHT).json()["boolean"] is True


@pytest.mark.parametrize("client", [{}, IN_MEMORY], indirect=True)
def test_a_write_is_seen_by_the_next_query(client: TestClient) -> None:
    ask = {"query": f"ASK {{ <{EX}new> <{EX}v> 1 }}"}
    assert client.get("/sparql", params=ask).json()["boolean"] is False
    client.app.state.store.update(union.insert_data(f"{EX}g", f"<{EX}new> <{EX}v> 1 ."))  # type: ignore[attr-defined]
    assert client.get("/sparql", params=ask).json()["boolean"] is True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_to_the_whole_process_group_leaves_queries_answered(
    client: TestClient, stop: int
) -> None:
    # Ctrl-C, ``timeout`` or a service manager signal every process of the service's group: the
    # service drains its requests before it shuts down, and its workers must go on answering
    # them meanwhile (they were ended at once, and the requests in flight answered 503).
    client.get("/sparql", params=LIGHT)
    for pid in workers(client):
        os.kill(pid, stop)
    time.sleep(0.2)
    answered = client.get("/sparql", params=LIGHT)
    assert answered.status_code == 200, answered.text
    assert answered.json()["boolean"] is True


def test_the_worker_processes_end_with_the_app(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "store", load_bundled_data=False)
    with TestClient(create_app(settings)) as client:
        client.get("/sparql", params={"query": "ASK {}"})
        pids = workers(client)
    assert pids
    assert resident_mb(pids) == 0
    assert not (tmp_path / ".store.snapshots").exists()
