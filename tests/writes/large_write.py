"""Run one large write in a child process, for the tests that kill it or measure its memory.

Usage: ``python large_write.py (kill | put) DIRECTORY COUNT``.
"""

import json
import resource
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kgservice.auth import Principal, TokenFile
from kgservice.services.writes import WriteService
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

BASE = "https://w3id.org/thaiplan/id/"
GRAPH = f"{BASE}graph/lao-pao-40"
ADMIN = Principal(f"{BASE}org/operator", "operator", admin=True)


class AnnouncingStore(EmbeddedStore):
    """The embedded store, saying on stdout when it has read all of a write's content (its
    transaction runs from then on) and when the write has returned."""

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]]) -> None:
        super().replace_graphs({name: announce_end(content) for name, content in graphs.items()})
        print("COMMITTED", flush=True)


def announce_end(content: Iterable[ox.Triple | ox.Quad]) -> Iterator[ox.Triple | ox.Quad]:
    yield from content
    print("COMMITTING", flush=True)


def triples(count: int) -> Iterable[ox.Triple]:
    """Notes on the projects of a local plan: IRIs and Thai text as long as real plan data's."""
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    for i in range(count):
        project = ox.NamedNode(f"{BASE}plan/lao-pao-40-2566-2570/project/{i // 10}")
        note = ox.Literal(f"บันทึกประกอบโครงการ ฉบับที่ {i} ของแผนพัฒนาท้องถิ่น", language="th")
        yield ox.Triple(project, comment, note)


def n_triples(count: int) -> bytes:
    data = ox.serialize(triples(count), format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return data


def write_and_be_killed(data_dir: Path, count: int) -> None:
    settings = Settings(data_dir=data_dir, load_bundled_data=False)
    content = list(triples(count))
    WriteService(AnnouncingStore(data_dir), settings).put(ADMIN, GRAPH, content)


def measure_put(data_dir: Path, count: int) -> None:
    """Peak memory growth of a PUT of ``count`` triples to an in-memory store over HTTP."""
    settings = Settings(
        memory=True,
        load_bundled_data=False,
        tokens_file=data_dir / "tokens.json",
        max_body_bytes=1 << 30,
    )
    _, token = TokenFile(settings.tokens_path).create(ADMIN.org_iri, admin=True)
    body = n_triples(count)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"}
    with TestClient(create_app(settings)) as client:
        client.get("/healthz")
        before = peak_rss()
        response = client.put("/data", params={"graph": GRAPH}, content=body, headers=headers)
        growth = peak_rss() - before
    print(json.dumps({"status": response.status_code, "body": len(body), "growth": growth}))


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


MODES = {"kill": write_and_be_killed, "put": measure_put}

if __name__ == "__main__":
    mode, directory, number = sys.argv[1:]
    MODES[mode](Path(directory), int(number))
