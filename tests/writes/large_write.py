"""Run one large write in a child process, for the tests that kill it or measure its memory.

Usage: ``python large_write.py put DIRECTORY COUNT`` (measure memory) or
``python large_write.py plan DIRECTORY COUNT GENERATION`` (write a plan of that generation into
the store in DIRECTORY, saying on stdout when it starts, commits and has committed).
"""

import json
import resource
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kgservice.auth import Principal, TokenFile
from kgservice.services.writes import WriteService
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

BASE = "https://w3id.org/thaiplan/id/"
GRAPH = f"{BASE}graph/lao-pao-40"
PLAN = f"{BASE}plan/lao-pao-40-2566-2570"
SHARED = f"{BASE}graph/shared-notes"
SHARED_NOTES = 5000
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
ADMIN = Principal(f"{BASE}org/operator", "operator", admin=True)


class AnnouncingStore(EmbeddedStore):
    """The embedded store, saying on stdout when it has read all of a write's content (its
    transaction runs from then on) and when the write has returned."""

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, then: Sequence[str] = ()
    ) -> None:
        announced = {name: announce_end(content) for name, content in graphs.items()}
        super().replace_graphs(announced, then=then)
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


def plan(count: int, generation: int) -> Iterator[ox.Triple]:
    """A local plan of about ``count`` triples, with ``generation`` more projects than that and
    in their titles: every project is part of the plan, so each has derived facts too."""
    tp = "https://w3id.org/thaiplan/ontology#"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    part_of = ox.NamedNode(tp + "partOf")
    iri = ox.NamedNode(PLAN)
    yield ox.Triple(iri, ox.NamedNode(tp + "level"), ox.NamedNode(tp + "LocalLevel"))
    yield ox.Triple(iri, ox.NamedNode(tp + "ownedBy"), ox.NamedNode(f"{BASE}org/lao-pao-40"))
    for i in range(count // 3 + generation):
        project = ox.NamedNode(f"{PLAN}/project/{i}")
        yield ox.Triple(project, part_of, iri)
        yield ox.Triple(project, label, ox.Literal(f"โครงการที่ {i} รุ่นที่ {generation}", language="th"))
        yield note(i)


def note(i: int) -> ox.Triple:
    text = ox.Literal(f"บันทึกประกอบโครงการ ฉบับที่ {i} ของแผนพัฒนาท้องถิ่น", language="th")
    return ox.Triple(ox.NamedNode(f"{PLAN}/project/{i}"), COMMENT, text)


def write_plan(data_dir: Path, count: int, generation: int) -> None:
    settings = Settings(data_dir=data_dir, load_bundled_data=False)
    store = AnnouncingStore(data_dir)
    if generation == 0:  # the levels' ranks, which the derived data needs
        for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
            store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=f"{BASE}graph/ontology")
        # every other note held in a second graph too, so the plan shares triples with it
        shared = ox.NamedNode(SHARED)
        store.insert(ox.Quad(*note(i), shared) for i in range(0, SHARED_NOTES, 2))
    content = list(plan(count, generation))
    print("STARTED", flush=True)
    WriteService(store, settings).put(ADMIN, GRAPH, content)
    store.close()


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


if __name__ == "__main__":
    mode, directory, number, *generation = sys.argv[1:]
    if mode == "plan":
        write_plan(Path(directory), int(number), int(generation[0]))
    else:
        measure_put(Path(directory), int(number))
