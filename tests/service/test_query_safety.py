"""Safety of /sparql: no fetching of URLs, time and row limits, body size, request log."""

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_support import LoopbackServer, Reply

from kgservice.query.execution import QUERIES
from kgservice.settings import Settings
from kgservice.store import union
from kgservice.web.app import create_app

EX = "http://example.org/"


ONE_SOLUTION = json.dumps(
    {
        "head": {"vars": ["x"]},
        "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]},
    }
).encode()


class Listener(LoopbackServer):
    """A loopback SPARQL endpoint that records every request and answers one solution."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        super().__init__(self._answer)
        self.url = f"{self.base}/sparql"

    def _answer(self, path: str) -> Reply:
        self.requests.append(path)
        return 200, {"Content-Type": "application/sparql-results+json"}, ONE_SOLUTION


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def client_for(**settings: object) -> TestClient:
    return TestClient(create_app(Settings(memory=True, load_bundled_data=False, **settings)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <{url}> { ?x ?p ?o } }",
        "select * where { service silent <{url}> { ?x ?p ?o } }",
        "PREFIX r: <{url}> SELECT * WHERE { SERVICE r: { ?x ?p ?o } }",
        "BASE <{url}> SELECT * WHERE { SERVICE <> { ?x ?p ?o } }",
        "SELECT * WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?x ?p ?o } }",
        "SELECT * WHERE { # a comment\n SERVICE\t<{url}>{ ?x ?p ?o } }",
    ],
)
def test_service_is_refused_and_nothing_is_fetched(listener: Listener, query: str) -> None:
    response = client_for().get("/sparql", params={"query": query.replace("{url}", listener.url)})
    assert response.status_code == 400
    assert response.json()["error"] == "forbidden_operation"
    assert listener.requests == []


def test_service_to_an_allowed_endpoint_is_answered_by_it(listener: Listener) -> None:
    client = client_for(allowed_service_endpoints=[listener.url])
    query = f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "remote"}}]
    assert len(listener.requests) == 1


def test_the_word_service_in_a_string_comment_or_name_is_not_refused(listener: Listener) -> None:
    query = (
        f"PREFIX service: <{EX}> SELECT ?service WHERE {{ "
        f'BIND("SERVICE <{listener.url}> {{}}" AS ?service) '
        f"# SERVICE <{listener.url}> {{}}\n FILTER(?service != service:SERVICE) }}"
    )
    response = client_for().get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert listener.requests == []


def test_load_in_an_update_is_refused_before_any_fetch(listener: Listener) -> None:
    response = client_for().post("/sparql", data={"update": f"LOAD <{listener.url}>"})
    assert response.status_code == 400
    assert response.json()["error"] == "forbidden_operation"
    assert listener.requests == []


def explosive_client(**limits: object) -> TestClient:
    """Queries in this process's threads, as they run without worker processes."""
    client = client_for(query_processes=False, **limits)
    # 150 values joined three ways: over 3 million combinations to filter, seconds of work
    triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
    client.app.state.store.update(union.insert_data(f"{EX}g", triples))  # type: ignore[attr-defined]
    return client


EXPLOSIVE = (
    f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z FILTER(?x + ?y + ?z < 0) }}"
)


def running_queries() -> int:
    return QUERIES.running


@pytest.fixture
def no_runaway_queries() -> Iterator[None]:
    """Start and end with no query left running in the engine, so tests do not overlap."""
    _wait_for_running_queries()
    yield
    _wait_for_running_queries()


def _wait_for_running_queries() -> None:
    while running_queries():
        time.sleep(0.01)


@pytest.mark.usefixtures("no_runaway_queries")
def test_a_query_past_the_time_limit_gets_503_while_others_are_answered() -> None:
    with explosive_client(query_timeout_s=0.5) as client:
        outcome: dict[str, object] = {}

        def explode() -> None:
            outcome["explosive"] = client.get("/sparql", params={"query": EXPLOSIVE})

        slow = threading.Thread(target=explode)
        slow.start()
        while not running_queries() and slow.is_alive():  # wait until it is evaluating
            slow.join(0.01)
        simple = client.get("/sparql", params={"query": f"ASK {{ <{EX}s7> <{EX}v> 7 }}"})
        answered_while_running = slow.is_alive()
        slow.join()
    assert simple.json()["boolean"] is True
    assert answered_while_running
    explosive = outcome["explosive"]
    assert explosive.status_code == 503  # type: ignore[attr-defined]
    assert explosive.json()["error"] == "query_timeout"  # type: ignore[attr-defined]


@pytest.mark.usefixtures("no_runaway_queries")
def test_while_runaway_queries_run_new_queries_are_refused_until_they_end() -> None:
    ask = {"query": f"ASK {{ <{EX}s7> <{EX}v> 7 }}"}
    with explosive_client(query_timeout_s=0.3, max_overdue_queries=1) as client:
        timed_out = client.get("/sparql", params={"query": EXPLOSIVE})
        refused = client.get("/sparql", params=ask)
        _wait_for_running_queries()
        served = client.get("/sparql", params=ask)
    assert timed_out.json()["error"] == "query_timeout"
    assert (refused.status_code, refused.json()["overdue_queries"]) == (503, 1)
    assert (refused.json()["error"], refused.headers["retry-after"]) == ("server_busy", "1")
    assert served.json()["boolean"] is True


@pytest.mark.usefixtures("no_runaway_queries")
def test_a_named_query_is_refused_too_while_runaway_queries_run(tmp_path: Path) -> None:
    (tmp_path / "seven.rq").write_text(f"#+ summary: s7\nASK {{ <{EX}s7> <{EX}v> 7 }}\n", "utf-8")
    limits = {"query_timeout_s": 0.3, "max_overdue_queries": 1}
    with explosive_client(**limits, queries_dir=tmp_path) as client:
        timed_out = client.get("/sparql", params={"query": EXPLOSIVE})
        refused = client.get("/queries/seven")
        _wait_for_running_queries()
        served = client.get("/queries/seven")
    assert timed_out.json()["error"] == "query_timeout"
    assert refused.status_code == 503
    assert (refused.json()["error"], refused.json()["overdue_queries"]) == ("server_busy", 1)
    assert served.json()["boolean"] is True


def test_a_result_past_the_row_limit_gets_503() -> None:
    client = explosive_client(max_result_rows=50)
    response = client.get("/sparql", params={"query": f"SELECT ?s WHERE {{ ?s <{EX}v> ?o }}"})
    assert response.status_code == 503
    assert response.json()["error"] == "result_too_large"
    limited = client.get(
        "/sparql", params={"query": f"SELECT ?s WHERE {{ ?s <{EX}v> ?o }} LIMIT 50"}
    )
    assert len(limited.json()["results"]["bindings"]) == 50


def test_a_body_over_the_limit_gets_413() -> None:
    client = client_for(max_body_bytes=100)
    response = client.post("/sparql", data={"query": "ASK { " + "?s ?p ?o . " * 20 + "}"})
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_a_chunked_body_over_the_limit_gets_413() -> None:
    client = client_for(max_body_bytes=100)

    def chunks() -> Iterator[bytes]:
        yield b"ASK { "
        for _ in range(20):
            yield b"?s ?p ?o . "
        yield b"}"

    response = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_a_body_under_the_limit_is_answered() -> None:
    response = client_for(max_body_bytes=100).post("/sparql", data={"query": "ASK {}"})
    assert response.json()["boolean"] is True


def test_each_request_is_logged_with_method_path_status_and_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="kgservice.requests"):
        client_for().get("/sparql", params={"query": "SELECT"})
    [record] = [r for r in caplog.records if r.name == "kgservice.requests"]
    method, path, status, ms, unit = record.getMessage().split()
    assert (method, path, status, unit) == ("GET", "/sparql", "400", "ms")
    assert float(ms) >= 0
