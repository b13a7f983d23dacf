"""The search index follows every write: Graph Store PUT, POST and DELETE, SPARQL Update, a
bundled file changed between starts, and a write the index missed (a process killed after the
store's commit and before the index's)."""

import gc
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient
from plan_store import BASE, SAMPLE, Token

from kgservice.auth import Principal
from kgservice.services.writes import WriteService
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

ORG = "lao-sao-401014"
GRAPH = f"{BASE}graph/{ORG}"
PLAN = f"{BASE}plan/lao-sao-401014-2566-2570"
PROJECT = f"{PLAN}/project/1"
PLAN_TTL = (SAMPLE / f"{ORG}.ttl").read_text(encoding="utf-8")
ROAD = "โครงการก่อสร้างถนน คสล. หมู่ ๔"
RENAMED = PLAN_TTL.replace(ROAD, "โครงการก่อสร้างถนนลูกรัง หมู่ ๔")


def headers(token: str, media: str = "text/turtle") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": media}


def found(client: TestClient, q: str) -> set[str]:
    answer = client.get("/search", params={"q": q, "format": "json", "limit": 100}).json()
    return {r["iri"] for r in answer["results"]}


def test_graph_store_put_and_delete(client: TestClient, token: Token) -> None:
    writer = token(ORG)
    assert PROJECT not in found(client, "ถนน คสล.")
    put = client.put("/data", params={"graph": GRAPH}, content=PLAN_TTL, headers=headers(writer))
    assert put.status_code == 201, put.text
    assert PROJECT in found(client, "ถนน คสล.")
    again = client.put("/data", params={"graph": GRAPH}, content=RENAMED, headers=headers(writer))
    assert again.status_code == 204, again.text
    assert PROJECT not in found(client, "ถนน คสล.")
    assert PROJECT in found(client, "ลูกรัง")
    gone = client.delete("/data", params={"graph": GRAPH}, headers=headers(writer))
    assert gone.status_code == 204
    assert PROJECT not in found(client, "ลูกรัง")


def test_graph_store_post_and_sparql_update(client: TestClient, token: Token) -> None:
    writer = token(ORG)
    client.put("/data", params={"graph": GRAPH}, content=PLAN_TTL, headers=headers(writer))
    alt = f'<{PLAN}> <http://www.w3.org/2004/02/skos/core#altLabel> "แผนสามปีหินตั้ง"@th .'
    post = client.post("/data", params={"graph": GRAPH}, content=alt, headers=headers(writer))
    assert post.status_code == 204, post.text
    assert found(client, "แผนสามปี") == {PLAN}
    delete = f"DELETE DATA {{ GRAPH <{GRAPH}> {{ {alt} }} }}"
    update = client.post(
        "/sparql", content=delete, headers=headers(writer, "application/sparql-update")
    )
    assert update.status_code == 204, update.text
    assert found(client, "แผนสามปี") == set()
    insert = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {alt} }} }}"
    client.post("/sparql", content=insert, headers=headers(writer, "application/sparql-update"))
    assert found(client, "แผนสามปี") == {PLAN}


def test_a_write_the_index_missed_is_taken_in_at_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "store", bundled_data_dir=_bundled(tmp_path))
    assert PROJECT not in searched(settings, "ลูกรัง")  # the first start builds the index
    write_without_the_index(settings, RENAMED)
    assert PROJECT in searched(settings, "ลูกรัง")


def test_a_bundled_file_changed_between_starts(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "store", bundled_data_dir=_bundled(tmp_path))
    assert PROJECT in searched(settings, "ถนน คสล.")
    (settings.bundled_data_dir / "sample" / f"{ORG}.ttl").write_text(RENAMED, encoding="utf-8")
    assert PROJECT not in searched(settings, "ถนน คสล.")
    assert PROJECT in searched(settings, "ลูกรัง")


def _bundled(tmp_path: Path) -> Path:
    copy = tmp_path / "ttl"
    shutil.copytree(PROJECT_ROOT / "data" / "ttl", copy)
    return copy


def _triples(turtle: str) -> list[ox.Triple]:
    parsed = ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE, base_iri=GRAPH)
    return [quad.triple for quad in parsed]


@contextmanager
def opened(settings: Settings) -> Iterator[EmbeddedStore]:
    """The on-disk store. pyoxigraph releases its lock when the store object goes, which for the
    one an app held is at the next collection of the app's reference cycles."""
    gc.collect()
    store = EmbeddedStore(settings.data_dir)
    try:
        yield store
    finally:
        store.close()


def write_without_the_index(settings: Settings, turtle: str) -> None:
    """A write through the write service as the service makes it, but with no search upkeep
    listening: the store as a process killed just after the store's commit leaves it."""
    with opened(settings) as store:
        writer = Principal(f"{BASE}org/{ORG}", ORG)
        WriteService(store, settings).put(writer, GRAPH, _triples(turtle))


def searched(settings: Settings, q: str) -> set[str]:
    """What a search finds on a start of the service over the on-disk store (stopped after)."""
    with opened(settings) as store, TestClient(create_app(settings, store=store)) as client:
        return found(client, q)
