"""A kept named answer, and a province's part of one computed again after a write, run under the
readers' limits: on a store on disk, in a worker process ended at its memory limit, while the
service goes on answering. Real worker processes, the real app, a real store on disk."""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from service_support import resident_mb

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.store import union
from kgservice.web.app import create_app

EX = "http://example.org/"
B = "https://w3id.org/thaiplan/id/"
LIGHT = {"query": f"ASK {{ <{EX}s7> <{EX}v> 7 }}"}
ANY_PLAN = {"query": "ASK { ?plan <https://w3id.org/thaiplan/ontology#coversArea> ?area }"}
LIMIT_MB = 200
# 150 values joined three ways, every row kept to be sorted: gigabytes if nothing stops it
GREEDY = (
    "#+ summary: every value with every other, shuffled\n"
    f"SELECT * WHERE {{ ?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z }} ORDER BY RAND()"
)
ORG = "lao-sao-400102"
KHON_KAEN = f"{B}area/40"
NOTE = f"{B}plan/{ORG}-note"
# A province's part that is empty until a note says "grow", then the whole store three times over
GROWING = f"""#+ summary: every statement with every other, shuffled, once a note says grow
#+ param: province iri required the province
#+ partition: province
PREFIX tp: <https://w3id.org/thaiplan/ontology#>
SELECT ?province ?a ?b ?c WHERE {{
  ?organisation tp:inProvince ?province .
  <{NOTE}> <http://www.w3.org/2000/01/rdf-schema#comment> "grow" .
  ?a ?p ?x . ?b ?q ?y . ?c ?r ?z
}}
ORDER BY RAND()
"""


def app_settings(tmp_path: Path, **more: object) -> Settings:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "greedy.rq").write_text(GREEDY)
    (queries / "growing.rq").write_text(GROWING)
    return Settings(
        data_dir=tmp_path / "store",
        tokens_file=tmp_path / "tokens.json",
        queries_dir=queries,
        query_memory_mb=LIMIT_MB,
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings(tmp_path, load_bundled_data=False))) as running:
        triples = " ".join(f"<{EX}s{i}> <{EX}v> {i} ." for i in range(150))
        running.app.state.store.update(union.insert_data(f"{EX}g", triples))  # type: ignore[attr-defined]
        yield running


def workers(client: TestClient) -> list[int]:
    return client.app.state.isolation.processes  # type: ignore[attr-defined, no-any-return]


def answered_while(
    client: TestClient,
    work: threading.Thread,
    *,
    before: list[httpx.Response],
    light: dict[str, str] = LIGHT,
) -> list[bool]:
    """Light queries' answers, asked until ``work`` (started here) is done."""
    answers = []
    work.start()
    while work.is_alive() and not before:
        answers.append(client.get("/sparql", params=light).json()["boolean"])
    work.join()
    return answers


def test_a_kept_answer_past_the_memory_limit_gets_503_while_others_are_answered(
    client: TestClient,
) -> None:
    client.get("/sparql", params=LIGHT)  # a worker is ready
    greedy: list[httpx.Response] = []
    asking = threading.Thread(target=lambda: greedy.append(client.get("/queries/greedy")))
    light = answered_while(client, asking, before=greedy)
    assert greedy[0].status_code == 503
    assert (greedy[0].json()["error"], greedy[0].json()["memory_mb"]) == (
        "query_memory_exceeded",
        LIMIT_MB,
    )
    assert light and all(light)  # answered while it ran
    assert resident_mb(workers(client) + [os.getpid()]) < resident_mb([os.getpid()]) + LIMIT_MB
    assert client.get("/sparql", params=LIGHT).json()["boolean"] is True


@pytest.fixture
def bundled(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings(tmp_path, load_bundled_data=True))) as running:
        yield running


def test_a_part_past_the_memory_limit_after_a_write_is_left_outdated_and_the_write_returns(
    bundled: TestClient, tmp_path: Path
) -> None:
    part = {"province": KHON_KAEN}
    kept = bundled.get("/queries/growing", params=part)
    assert (kept.status_code, kept.json()["results"]["bindings"]) == (200, [])
    graph = f"{B}graph/{ORG}"
    plan = bundled.get("/data", params={"graph": graph}, headers={"Accept": "text/turtle"})
    note = f'\n<{NOTE}> <http://www.w3.org/2000/01/rdf-schema#comment> "grow" .\n'
    token = TokenFile(tmp_path / "tokens.json").create(f"{B}org/{ORG}", admin=False)[1]
    written: list[httpx.Response] = []
    writing = threading.Thread(
        target=lambda: written.append(
            bundled.put(
                "/data",
                params={"graph": graph},
                content=plan.content + note.encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
            )
        )
    )
    light = answered_while(bundled, writing, before=written, light=ANY_PLAN)
    assert written[0].status_code in (200, 204), written[0].text
    assert light and all(light)
    # the part was not kept as it was before the write: its reader computes it, and is refused
    grown = bundled.get("/queries/growing", params=part)
    assert (grown.status_code, grown.json()["error"]) == (503, "query_memory_exceeded")
    assert resident_mb(workers(bundled)) < LIMIT_MB
