"""On a remote store a runaway query is answered 503 at the service's time limit: the service
stops waiting for the remote server, which has no limit of its own here, and other queries go on
being answered. A real ``oxigraph serve`` on loopback."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from engines import oxigraph_binary, remote_settings
from fastapi.testclient import TestClient

from kgbench.servers import Server
from kgservice.errors import QueryTimeout
from kgservice.query.execution import QUERIES
from kgservice.store import Store, open_store, union
from kgservice.web.app import create_app

EX = "http://example.org/"
ASK_NOTHING = "/query?query=ASK%7B%7D"
LIGHT = f"ASK {{ <{EX}s7> <{EX}v> 7 }}"
# 150 values joined four ways, every row kept to be sorted: Oxigraph sorts for half a minute or
# more before it sends a byte
RUNAWAY = (
    f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z . ?d <{EX}v> ?w }} "
    "ORDER BY RAND()"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """An ``oxigraph serve`` of its own, without ``--timeout-s``, that nobody else keeps busy
    (the session's would go on sorting for the next tests)."""
    where = ["--location", str(tmp_path / "oxigraph"), "--bind", "127.0.0.1:{port}"]
    server = Server("oxigraph serve", [oxigraph_binary(), "serve", *where], ASK_NOTHING, "", 60)
    server.start(tmp_path / "oxigraph.log")
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def with_values(store: Store) -> Store:
    triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
    store.update(union.insert_data(f"{EX}g", triples))  # the default graph holds them too
    return store


@pytest.fixture
def client(server: str) -> Iterator[TestClient]:
    with TestClient(
        create_app(remote_settings("oxigraph", server, query_timeout_s=2.0))
    ) as running:
        with_values(running.app.state.store)  # type: ignore[attr-defined]
        yield running


def test_the_store_ends_its_call_when_nothing_comes_for_the_time_limit(server: str) -> None:
    store = with_values(open_store(remote_settings("oxigraph", server, query_timeout_s=1.0)))
    with pytest.raises(QueryTimeout):  # not the store's fault (store_unavailable)
        store.query(RUNAWAY)


def test_a_runaway_query_is_answered_503_on_time_and_the_service_stops_waiting(
    client: TestClient,
) -> None:
    answers: list[httpx.Response] = []
    started = time.monotonic()
    runaway = threading.Thread(
        target=lambda: answers.append(client.get("/sparql", params={"query": RUNAWAY}))
    )
    runaway.start()
    time.sleep(0.5)
    light = client.get("/sparql", params={"query": LIGHT})
    runaway.join()
    assert light.json()["boolean"] is True
    assert (answers[0].status_code, answers[0].json()["error"]) == (503, "query_timeout")
    assert time.monotonic() - started < 15  # its limit, not the half-minute Oxigraph needs
    for _ in range(100):  # the call given up, not left to run out
        if QUERIES.overdue == 0:
            break
        time.sleep(0.1)
    assert QUERIES.overdue == 0
    assert client.get("/sparql", params={"query": LIGHT}).json()["boolean"] is True
