"""Writers are serialised: concurrent additions to one graph all survive."""

import threading

import pyoxigraph as ox
from plan_store import BASE

from kgservice.auth import Principal
from kgservice.services.writes import WriteService
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.store.base import solutions

GRAPH = f"{BASE}graph/lao-sao-401014"
WRITER = Principal(f"{BASE}org/lao-sao-401014", "lao-sao-401014")
WRITERS = 8


def note(i: int) -> ox.Triple:
    return ox.Triple(
        ox.NamedNode(f"{BASE}org/lao-sao-401014"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
        ox.Literal(f"บันทึก {i}", language="th"),
    )


def test_concurrent_posts_lose_no_update(store: Store, settings: Settings) -> None:
    service = WriteService(store, settings)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def add(i: int) -> None:
        start.wait()
        try:
            service.post(WRITER, GRAPH, [note(i)])
        except BaseException as exc:  # a failed writer must fail the test, not vanish
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(service.content(GRAPH)) == {note(i) for i in range(WRITERS)}
    submissions = store.query(
        "SELECT * WHERE { GRAPH ?g { ?s a ?c } }",
        bindings={
            "g": ox.NamedNode(f"{BASE}graph/provenance"),
            "c": ox.NamedNode("https://w3id.org/thaiplan/ontology#Submission"),
        },
    )
    assert len(list(solutions(submissions))) == WRITERS
