"""On a store in memory (``--memory``) every reader's query runs where it can be ended: a kept
named answer, computed for a reader or renewed after a write, runs in a worker process under the
readers' time and memory limits, and the workers read a copy on disk that follows each write, so
the first query after a write reads what it wrote. Real worker processes, the real app, a store
in memory."""

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from service_support import resident_mb

from kgservice.auth import TokenFile
from kgservice.query.prepare import prepare
from kgservice.settings import Settings
from kgservice.store import union
from kgservice.store.base import solutions
from kgservice.web.app import create_app

EX = "http://example.org/"
B = "https://w3id.org/thaiplan/id/"
ORG = "lao-sao-400102"
GRAPH = f"{B}graph/{ORG}"
LIMIT_MB = 200
GROW = f'<{EX}note> <{EX}says> "grow" .'
# Empty until a note says "grow"; then 150 values joined three ways, every row kept to be
# sorted: gigabytes if nothing stops it
GROWING = (
    "#+ summary: every value with every other, shuffled, once a note says grow\n"
    f'SELECT * WHERE {{ <{EX}note> <{EX}says> "grow" . '
    f"?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z }} ORDER BY RAND()"
)
# 150 values joined four ways: 500 million combinations to filter, minutes of work
PRODUCT = (
    "#+ summary: every value with every other\n"
    f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z . ?d <{EX}v> ?w "
    "FILTER(?x + ?y + ?z + ?w < 0) }"
)
V, H = ox.NamedNode(f"{EX}v"), ox.NamedNode(f"{EX}h")
SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def client(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "growing.rq").write_text(GROWING)
    (queries / "product.rq").write_text(PRODUCT)
    settings = Settings(
        memory=True,
        load_bundled_data=False,
        tokens_file=tmp_path / "tokens.json",
        queries_dir=queries,
        query_memory_mb=LIMIT_MB,
        **getattr(request, "param", {}),
    )
    with TestClient(create_app(settings)) as running:
        triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
        running.app.state.store.update(union.insert_data(f"{EX}g", triples))  # type: ignore[attr-defined]
        yield running


def token(tmp_path: Path) -> dict[str, str]:
    value = TokenFile(tmp_path / "tokens.json").create(f"{B}org/{ORG}", admin=False)[1]
    return {"Authorization": f"Bearer {value}"}


def put(client: TestClient, tmp_path: Path, turtle: str) -> None:
    headers = {**token(tmp_path), "Content-Type": "text/turtle"}
    written = client.put("/data", params={"graph": GRAPH}, content=turtle, headers=headers)
    assert written.status_code in (200, 201, 204), written.text


def workers(client: TestClient) -> list[int]:
    return client.app.state.isolation.processes  # type: ignore[attr-defined, no-any-return]


def test_a_renewal_after_a_write_is_ended_at_its_memory_limit(
    client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="kgservice.query.renewals")
    kept = client.get("/queries/growing")
    assert (kept.status_code, kept.json()["results"]["bindings"]) == (200, [])
    before_mb = resident_mb([os.getpid()])
    put(client, tmp_path, GROW)  # the answer asked for is renewed after the write, and grows
    grown = client.get("/queries/growing")
    assert (grown.status_code, grown.json()["error"]) == (503, "query_memory_exceeded")
    assert grown.json()["memory_mb"] == LIMIT_MB
    waited = time.monotonic()
    while "not renewed" not in caplog.text and time.monotonic() - waited < 120:
        time.sleep(0.1)
    assert "not renewed" in caplog.text
    assert f"more than {LIMIT_MB} MB" in caplog.text
    assert resident_mb([os.getpid()]) < before_mb + LIMIT_MB  # it grew somewhere else, and ended


@pytest.mark.parametrize("client", [{"query_timeout_s": 1.0}], indirect=True)
def test_a_kept_answer_refused_at_its_time_limit_stops_using_the_processor(
    client: TestClient,
) -> None:
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    (ready,) = workers(client)  # the one the next query takes
    refused = client.get("/queries/product")
    assert (refused.status_code, refused.json()["error"]) == (503, "query_timeout")
    assert ready not in workers(client)
    assert not Path(f"/proc/{ready}").exists()  # ended, not left computing
    used = time.process_time()
    time.sleep(2)
    assert time.process_time() - used < 0.5  # no thread of the service goes on computing it


def test_the_first_query_after_each_write_reads_what_it_wrote(
    client: TestClient, tmp_path: Path
) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    with_blanks = f"<{EX}p1> <{EX}has> [ <{EX}n> 1 ; <{EX}m> [ <{EX}n> 2 ] ] . <{EX}p1> <{EX}v> 1 ."
    steps = [
        lambda: put(client, tmp_path, with_blanks),
        lambda: put(client, tmp_path, f"<{EX}p1> <{EX}has> [ <{EX}n> 3 ] . {GROW}"),
        lambda: store.update(union.insert_data(f"{EX}h", f"<{EX}s1> <{EX}v> 1 .")),
        lambda: store.insert([ox.Quad(ox.NamedNode(f"{EX}s2"), V, ox.Literal(2), H)]),
        lambda: store.bulk_insert([ox.Quad(ox.BlankNode(), V, ox.Literal(3), H)]),
        lambda: client.delete("/data", params={"graph": GRAPH}, headers=token(tmp_path)),
    ]
    for step in steps:
        step()
        sizes = client.get("/sparql", params={"query": SIZES}).json()["results"]["bindings"]
        assert {row["g"]["value"]: int(row["n"]["value"]) for row in sizes} == store.graphs()
        default = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
        found = client.get("/sparql", params=default).json()["results"]["bindings"]
        (held,) = solutions(store.query(prepare(default["query"])))
        assert found[0]["n"]["value"] == held["n"].value
