"""A store with the bundled data, as the service loads it, and helpers to run named queries."""

import threading
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kgservice.auth import TokenFile
from kgservice.bootstrap import bootstrap
from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.query import named
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.store.base import Dataset, QueryResult
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

FIXTURES = Path(__file__).parent / "queries_fixtures"
SETTINGS = Settings(memory=True)
B = DEFAULT_BASE
TP = "https://w3id.org/thaiplan/ontology#"


def load_file(store: Store, path: Path) -> str:
    """Load one Turtle file into ``graph/{file stem}``; returns the graph IRI."""
    graph = graph_iri(B, path.stem)
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph)
    return graph


def bundled_store() -> Store:
    """A fresh in-memory store loaded as on the service's first start (derived data included):
    a copy of one first start per test process, which is several times quicker than another."""
    return copied(bundled_quads())


@cache
def bundled_quads() -> tuple[ox.Quad, ...]:
    """Every quad of a first start in memory, the default graph's copy of the union included."""
    store = EmbeddedStore(None)
    bootstrap(store, SETTINGS)
    return tuple(store._store)


def copied(quads: Iterable[ox.Quad]) -> EmbeddedStore:
    """A store in memory holding exactly ``quads`` (the union copy's among them, as they are)."""
    store = EmbeddedStore(None)
    store._store.bulk_extend(quads)
    return store


def rows(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a named query, each a dict of variable -> value (IRIs and literals as text)."""
    query = named.find(name)
    result = store.query(query.text, bindings=named.bind(query, params))  # sorted by the engine
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def column(found: Iterable[dict[str, str]], name: str) -> list[str]:
    return [row[name] for row in found if name in row]


def derived_triples(store: Store) -> set[tuple[str, str, str]]:
    """Everything in ``graph/derived``, as N-Triples terms."""
    result = store.query(
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        bindings={"g": ox.NamedNode(graph_iri(B, "derived"))},
    )
    return {(str(row["s"]), str(row["p"]), str(row["o"])) for row in result}  # type: ignore[union-attr]


class CountingStore(EmbeddedStore):
    """The embedded store, each query's text recorded: which parts of an answer were computed."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self.queries: list[str] = []
        self._lock = threading.Lock()

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        with self._lock:
            self.queries.append(text)
        return super()._evaluate(text, dataset)

    def ran(self, *words: str) -> int:
        """How many queries named all of ``words``."""
        return sum(all(w in q for w in words) for q in self.queries)


class SlowStore(CountingStore):
    """The embedded store, each query taking a twentieth of a second longer and counted: as a
    national answer after a write (77 provinces' parts, one after another), long enough for the
    readers to arrive while it is computed."""

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        time.sleep(0.05)
        return super()._evaluate(text, dataset)


def sent_again(client: TestClient, org: str) -> None:
    """The organisation's bundled sample plan PUT again as it is, with its own token: the
    store's version moves on."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    token = TokenFile(settings.tokens_path).create(f"{B}org/{org}", admin=False)[1]
    response = client.put(
        "/data",
        params={"graph": f"{B}graph/{org}"},
        content=(SETTINGS.bundled_data_dir / "sample" / f"{org}.ttl").read_bytes(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
    )
    assert response.status_code == 204, response.text


def counted_client(store: "CountingStore", tmp_path: Path, **limits: object) -> TestClient:
    """The app over ``store`` in memory, its queries run in this process (so that the store
    counts them), with a tokens file in ``tmp_path`` and ``limits`` as settings."""
    settings = Settings(
        memory=True,
        load_bundled_data=False,
        query_processes=False,
        tokens_file=tmp_path / "t.json",
        **limits,  # type: ignore[arg-type]
    )
    return TestClient(create_app(settings, store=store))


def eventually(condition: Callable[[], bool]) -> None:
    """Waits up to 30 s for ``condition``: what the service computes again in the background
    after a write."""
    for _ in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the service did not compute the answer again")
