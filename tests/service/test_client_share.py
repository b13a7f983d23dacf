"""A client past its share of the heavy queries gets 429 with Retry-After while other clients'
queries go on, on every path a heavy query can take: /sparql and kept named answers being
computed in worker processes on a store on disk or in memory, and in the service's own threads
queries to a remote store (which get 503 with Retry-After past the free turns). A real
``kgservice serve`` and real HTTP clients at once, each client on its own loopback address (or
named by a proxy's X-Forwarded-For, when the settings trust the proxy)."""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import free_port, oxigraph_server, remote_settings

from kgservice.settings import Settings
from kgservice.store import open_store

SRC = Path(__file__).parents[2] / "src"
EX = "http://example.org/"
LIGHT = f"ASK {{ <{EX}s7> <{EX}v> 7 }}"
# 150 values joined four ways: minutes of work, far past the 6 s limit
SLOW = (
    f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z . ?d <{EX}v> ?w "
    "FILTER(?x + ?y + ?z + ?w < 0) }"
)
Answer = tuple[int, dict[str, str], dict[str, object]]


def values(store_dir: Path) -> None:
    """A store of 150 values, closed again (its lock let go) for the server to open."""
    store = open_store(Settings(data_dir=store_dir))
    triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {triples} }} }}")
    store.close()


def values_file(directory: Path) -> Path:
    """The same values as a file of bundled data, for a store in memory to load at its start."""
    directory.mkdir()
    triples = "\n".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
    (directory / "values.ttl").write_text(triples, "utf-8")
    return directory


def slow_named_queries(directory: Path) -> Path:
    directory.mkdir()
    for name in ("slow1", "slow2", "slow3"):
        (directory / f"{name}.rq").write_text(f"#+ summary: {name}\n{SLOW}\n", "utf-8")
    return directory


def start(tmp_path: Path, *store: str, **settings: str) -> Iterator[int]:
    """``kgservice serve`` with the ``store`` options, by default a store on disk of the values."""
    if not store:
        values(tmp_path / "store")
        store = ("--data-dir", str(tmp_path / "store"))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "KGSERVICE_LOAD_BUNDLED_DATA": "false",
        "KGSERVICE_QUERY_TIMEOUT_S": "6",  # time for each to become heavy on a busy machine
        "KGSERVICE_HEAVY_QUERY_AFTER_S": "0.2",
        "KGSERVICE_HEAVY_QUERIES": "2",
        "KGSERVICE_HEAVY_QUERY_QUEUE": "2",
        "KGSERVICE_HEAVY_QUERIES_PER_CLIENT": "1",
        **settings,
    }
    command = [sys.executable, "-m", "kgservice", "serve", *store]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(port)
        yield port
    finally:
        os.killpg(server.pid, 15)  # the server and its query workers
        server.wait(timeout=20)


def wait_until_up(port: int) -> None:
    for _ in range(300):
        try:
            ask(port, LIGHT, "127.0.0.1")
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("kgservice serve did not start")


def ask(port: int, query: str, source: str, forwarded_for: str | None = None) -> Answer:
    """GET /sparql from the loopback address ``source``."""
    return get(port, "/sparql?" + urllib.parse.urlencode({"query": query}), source, forwarded_for)


def get(port: int, target: str, source: str, forwarded_for: str | None = None) -> Answer:
    """GET ``target`` from the loopback address ``source``."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    headers = {"Accept": "application/sparql-results+json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    try:
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.headers), json.loads(response.read())
    finally:
        connection.close()


def at_once(
    port: int, clients: list[tuple[str, str | None]], targets: list[str] | None = None
) -> list[Answer]:
    """The slow query from each client, all at once (or each client's of ``targets``); the
    answers in the clients' order."""
    answers: list[Answer | None] = [None] * len(clients)
    slow = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    asked = targets or [slow] * len(clients)

    def send(i: int, source: str, forwarded_for: str | None) -> None:
        answers[i] = get(port, asked[i], source, forwarded_for)

    threads = [threading.Thread(target=send, args=(i, *client)) for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # every one of them is heavy by now
    light = ask(port, LIGHT, "127.0.0.3")
    for thread in threads:
        thread.join()
    assert light[0] == 200 and light[2]["boolean"] is True  # a third client, answered meanwhile
    return [answer for answer in answers if answer is not None]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    yield from start(tmp_path)


@pytest.fixture
def in_memory(tmp_path: Path) -> Iterator[int]:
    bundled = str(values_file(tmp_path / "bundled"))
    loaded = {"KGSERVICE_LOAD_BUNDLED_DATA": "true", "KGSERVICE_BUNDLED_DATA_DIR": bundled}
    yield from start(tmp_path, "--memory", **loaded)


@pytest.fixture
def named(tmp_path: Path) -> Iterator[int]:
    """Kept named answers on a store in memory, computed in worker processes."""
    bundled = str(values_file(tmp_path / "bundled"))
    yield from start(
        tmp_path,
        "--memory",
        KGSERVICE_LOAD_BUNDLED_DATA="true",
        KGSERVICE_BUNDLED_DATA_DIR=bundled,
        KGSERVICE_QUERIES_DIR=str(slow_named_queries(tmp_path / "q")),
    )


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[int]:
    """The service over an ``oxigraph serve`` of its own, which goes on evaluating what the
    service gave up on until it is stopped."""
    with oxigraph_server(tmp_path / "oxigraph") as url:
        store = open_store(remote_settings("oxigraph", url))
        triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {triples} }} }}")
        store.close()
        endpoints = {
            "KGSERVICE_STORE": "remote",
            "KGSERVICE_REMOTE_QUERY_URL": f"{url}/query",
            "KGSERVICE_REMOTE_UPDATE_URL": f"{url}/update",
        }
        yield from start(tmp_path, "--data-dir", str(tmp_path / "service"), **endpoints)


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[int]:
    yield from start(tmp_path, KGSERVICE_TRUSTED_PROXIES='["127.0.0.1"]')


def errors(answers: list[Answer]) -> list[str]:
    return sorted(str(body["error"]) for _, _, body in answers)


def test_a_client_past_its_share_gets_429_while_another_gets_its_turn(server: int) -> None:
    clients = [("127.0.0.2", None)] * 3 + [("127.0.0.1", None)]
    answers = at_once(server, clients)
    greedy, other = answers[:3], answers[3]
    assert errors(greedy) == ["query_timeout", "too_many_requests", "too_many_requests"]
    refused = [headers for status, headers, _ in greedy if status == 429]
    assert [headers["retry-after"] for headers in refused] == ["6", "6"]
    assert (other[0], other[2]["error"]) == (503, "query_timeout")  # its turn, to the limit


def test_x_forwarded_for_is_not_believed_unless_the_proxy_is_trusted(server: int) -> None:
    answers = at_once(server, [("127.0.0.2", "10.0.0.1"), ("127.0.0.2", "10.0.0.2")])
    assert errors(answers) == ["query_timeout", "too_many_requests"]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_share(behind_proxy: int) -> None:
    answers = at_once(behind_proxy, [("127.0.0.1", "10.0.0.1"), ("127.0.0.1", "10.0.0.2")])
    assert errors(answers) == ["query_timeout", "query_timeout"]


def test_on_a_store_in_memory_a_client_past_its_share_gets_429(in_memory: int) -> None:
    answers = at_once(in_memory, [("127.0.0.2", None)] * 2)
    assert errors(answers) == ["query_timeout", "too_many_requests"]


def test_kept_named_answers_being_computed_count_in_the_clients_share(named: int) -> None:
    answers = at_once(named, [("127.0.0.2", None)] * 2, ["/queries/slow1", "/queries/slow2"])
    assert errors(answers) == ["query_timeout", "too_many_requests"]
    assert [h["retry-after"] for status, h, _ in answers if status == 429] == ["6"]


def test_on_a_remote_store_queries_past_the_free_turns_get_503_with_retry_after(
    remote: int,
) -> None:
    clients: list[tuple[str, str | None]] = [("127.0.0.2", None), ("127.0.0.4", None)]
    answers = at_once(remote, [*clients, ("127.0.0.5", None)])
    assert errors(answers) == ["query_timeout", "query_timeout", "server_busy"]
    busy = [headers for _, headers, body in answers if body["error"] == "server_busy"]
    assert busy[0]["retry-after"] == "6"


def test_on_a_remote_store_a_client_past_its_share_gets_429(remote: int) -> None:
    answers = at_once(remote, [("127.0.0.2", None)] * 2)
    assert errors(answers) == ["query_timeout", "too_many_requests"]
