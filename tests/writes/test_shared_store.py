"""Two ``kgservice serve`` processes over one remote store: the same answers, kept answers that
follow the other process's writes, and writes at once that lose nothing and break no derived
fact."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pyoxigraph as ox
import pytest
from engines import REMOTE_ENGINES, free_port
from plan_store import BASE, SAMPLE, Token, graph_triples
from queries_support import derived_triples

from kgservice.derived import upkeep
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store import Store
from kgservice.store.sharing import version_change

KK4 = f"{BASE}plan/provincial-40-2566-2570/strategy/4"
# The PAO's project/1 and SAO 400102's project/1 are title twins (the same road, FY2567, in
# nested areas): a derived fact that the write of either plan computes from the other plan's
# titles as the store holds them. Two writes computed at once, each before the other's commit,
# would both miss the other and leave the pair out.
TWINS = ("lao-pao-40", "lao-sao-400102")
TWIN_PAIR = (
    f"{BASE}plan/lao-pao-40-2566-2570/project/1",
    f"{BASE}plan/lao-sao-400102-2566-2570/project/1",
)
ROUNDS = 5
SAO = f"{BASE}graph/lao-sao-401014"
TURTLE = ox.RdfFormat.TURTLE


@pytest.fixture(params=REMOTE_ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def servers(settings: Settings, store: Store) -> Iterator[list[str]]:
    """Two service processes over ``store`` (with its derived data, as after a first start),
    sharing its settings and tokens."""
    upkeep.refresh(store, settings)
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT / "src"),
        "KGSERVICE_STORE": "remote",
        "KGSERVICE_STORE_DIALECT": settings.store_dialect,
        "KGSERVICE_REMOTE_QUERY_URL": str(settings.remote_query_url),
        "KGSERVICE_REMOTE_UPDATE_URL": str(settings.remote_update_url or ""),
        "KGSERVICE_LOAD_BUNDLED_DATA": "false",
        "KGSERVICE_TOKENS_FILE": str(settings.tokens_path),
        "KGSERVICE_ALLOCATOR": "system",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "kgservice", "serve", "--port", str(port)],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            _wait_for(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def test_processes_answer_alike_and_follow_each_others_writes(
    servers: list[str], token: Token
) -> None:
    first, second = servers
    assert supporters(first) == supporters(second) == set()  # and the second keeps its answer
    assert put(first, "lao-sao-401014", token("lao-sao-401014")) == 201
    # lao-sao-401014 programme/3 (projects 6-8) supports kk:4
    expected = {f"{BASE}plan/lao-sao-401014-2566-2570/project/{n}" for n in (6, 7, 8)}
    assert supporters(second) == supporters(first) == expected


def test_a_write_through_one_process_is_found_by_the_others_search(
    servers: list[str], token: Token
) -> None:
    first, second = servers
    road = f"{BASE}plan/lao-sao-401014-2566-2570/project/1"  # "โครงการก่อสร้างถนน คสล. หมู่ ๔"
    assert road not in found(second, "ถนน คสล.")
    assert put(first, "lao-sao-401014", token("lao-sao-401014")) == 201
    assert road in found(second, "ถนน คสล.")
    assert delete(first, "lao-sao-401014", token("lao-sao-401014")) == 204
    assert road not in found(second, "ถนน คสล.")


def test_a_process_catching_up_reads_the_records_of_recent_writes_only(
    servers: list[str], store: Store, token: Token
) -> None:
    first, second = servers
    kk_road = f"{BASE}plan/lao-pao-40-2566-2570/project/1"  # "โครงการก่อสร้างถนน คสล. หมู่ ๓ ..."
    sao_road = f"{BASE}plan/lao-sao-401014-2566-2570/project/1"
    # lao-sao-401014's plan put straight into the store, recorded as a write made in 2020 that
    # no process's index took in: following another process's writes does not read it again
    store.load((SAMPLE / "lao-sao-401014.ttl").read_bytes(), format=TURTLE, graph=SAO)
    store.update(_submission("old", SAO, "2020-01-01T00:00:00+00:00"))
    assert put(first, "lao-pao-40", token("lao-pao-40")) == 201
    assert kk_road in found(second, "ถนน คสล.")
    assert sao_road not in found(second, "ถนน คสล.")
    # a write that started a minute before the newest one seen (a writer whose clock lags)
    # but committed after it is taken in
    late = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    store.update(f"{_submission('late', SAO, late)} ;\n{version_change(BASE)}")
    assert sao_road in found(second, "ถนน คสล.")


def _submission(name: str, graph: str, started: str) -> str:
    """The record of a write of ``graph`` started at ``started``, as a write leaves it."""
    return f"""PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT DATA {{ GRAPH <{BASE}graph/provenance> {{ <{BASE}submission/{name}>
  a <https://w3id.org/thaiplan/ontology#Submission> ;
  <https://w3id.org/thaiplan/ontology#targetGraph> <{graph}> ;
  prov:startedAtTime "{started}"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}"""


def test_two_processes_writing_at_once_lose_no_write_and_break_no_derived_fact(
    servers: list[str], token: Token, store: Store, settings: Settings
) -> None:
    tokens = {org: token(org) for org in TWINS}
    both = threading.Barrier(2, timeout=300)
    statuses: list[int | str] = []
    found: list[set[tuple[str, str]]] = []

    def write(server: str, org: str) -> None:
        for _ in range(ROUNDS):
            both.wait()
            statuses.append(delete(server, org, tokens[org]))
            both.wait()
            statuses.append(put(server, org, tokens[org]))
            if both.wait() == 0:  # one of the two asks, once both plans are in
                found.append(twins(server))

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(write, servers, TWINS))
    assert set(statuses) <= {201, 204, 404}, statuses
    assert found == [{TWIN_PAIR}] * ROUNDS
    for org in TWINS:
        plan = (SAMPLE / f"{org}.ttl").read_bytes()
        assert len(graph_triples(store, f"{BASE}graph/{org}")) == len(_parsed(plan))
    kept = derived_triples(store)
    upkeep.refresh(store, settings)
    assert derived_triples(store) == kept


def twins(server: str) -> set[tuple[str, str]]:
    rows = _answer(server, "duplicate-candidates", province=f"{BASE}area/40")
    return {(row["project"]["value"], row["twin"]["value"]) for row in rows}


def found(server: str, q: str) -> set[str]:
    query = urllib.parse.urlencode({"q": q, "format": "json", "limit": 100})
    with urllib.request.urlopen(f"{server}/search?{query}", timeout=60) as response:
        return {hit["iri"] for hit in json.load(response)["results"]}


def supporters(server: str) -> set[str]:
    rows = _answer(server, "supporting-local-plans", strategy=KK4)
    return {row["project"]["value"] for row in rows}


def _answer(server: str, name: str, **params: str) -> list[dict[str, dict[str, str]]]:
    request = urllib.request.Request(
        f"{server}/queries/{name}?{urllib.parse.urlencode(params)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return list(json.load(response)["results"]["bindings"])


def put(server: str, org: str, secret: str) -> int | str:
    body = (SAMPLE / f"{org}.ttl").read_bytes()
    return _send(server, org, secret, "PUT", body)


def delete(server: str, org: str, secret: str) -> int | str:
    return _send(server, org, secret, "DELETE", None)


def _send(server: str, org: str, secret: str, method: str, body: bytes | None) -> int | str:
    """The status of the answer, with its body when the service failed."""
    graph = urllib.parse.urlencode({"graph": f"{BASE}graph/{org}"})
    request = urllib.request.Request(
        f"{server}/data?{graph}",
        data=body,
        method=method,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "text/turtle"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:  # what the service said goes into the failure
            return f"{exc.code} {exc.read().decode()}"
        return exc.code


def _parsed(turtle: bytes) -> set[ox.Triple]:
    scratch = ox.Store()
    scratch.load(turtle, format=ox.RdfFormat.TURTLE)
    return {q.triple for q in scratch}


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"kgservice serve exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1).close()
            return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    pytest.fail("kgservice serve did not start")
