"""Fixtures for the write tests: a store holding the model and the reference data a local plan
links to (but not the local plans themselves), an app over it, and writers' tokens."""

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import remote_settings, started_on_first_use
from fastapi.testclient import TestClient
from plan_store import BASE, REFERENCE, Token

from kgservice.auth import TokenFile
from kgservice.namespaces import graph_iri
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store import Store, open_store, union
from kgservice.web.app import create_app

# The W3C manifest reader is shared with the endpoint's own protocol tests.
sys.path.insert(0, str(Path(__file__).parents[1] / "service"))


@pytest.fixture
def engine() -> str:
    """The store backend; a module that runs on every backend overrides this with parameters."""
    return "embedded"


@pytest.fixture(scope="session")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Servers of this directory's own: ``store`` keeps the reference graphs loaded between its
    tests, which other directories' tests (a first start over the bundled data, say) would
    change behind its back when the tests of several directories share one process."""
    with started_on_first_use(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def search_dirs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Per remote engine, one search index directory for every test's service over its one
    server, kept between the services as between restarts: a service starting over a remote
    store without one would read every label over HTTP to build it (seconds per test)."""
    return lambda engine: tmp_path_factory.getbasetemp() / f"{engine}-search"


@pytest.fixture
def settings(
    tmp_path: Path,
    engine: str,
    engine_url: Callable[[str], str],
    search_dirs: Callable[[str], Path],
) -> Settings:
    tokens = tmp_path / "tokens.json"
    if engine == "embedded":
        return Settings(memory=True, load_bundled_data=False, tokens_file=tokens)
    return remote_settings(
        engine, engine_url(engine), tokens_file=tokens, search_index_dir=search_dirs(engine)
    )


@pytest.fixture(scope="session")
def reference_counts() -> dict[str, dict[str, int]]:
    """Per remote engine, the reference graphs' sizes once loaded, to load them only once."""
    return {}


@pytest.fixture
def store(settings: Settings, engine: str, reference_counts: dict[str, dict[str, int]]) -> Store:
    """The model and the reference data, without the local plans."""
    store = open_store(settings)
    if engine != "embedded":
        held = store.graphs()
        for graph in held:
            if graph not in reference_counts.get(engine, {}):
                store.update(union.drop(graph))
        if {g: n for g, n in held.items() if g in reference_counts.get(engine, {})} == (
            reference_counts.get(engine)
        ):
            return store
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        load_file(store, path, graph_iri(BASE, "ontology"))
    for path in REFERENCE:
        load_file(store, path, graph_iri(BASE, path.stem))
    if engine != "embedded":
        reference_counts[engine] = store.graphs()
    return store


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=store)) as client:
        yield client


@pytest.fixture
def token(settings: Settings) -> Token:
    """``token("lao-sao-401014")`` -> a new bearer token for that organisation."""

    def create(org_id: str, *, admin: bool = False) -> str:
        _, secret = TokenFile(settings.tokens_path).create(f"{BASE}org/{org_id}", admin=admin)
        return secret

    return create


def load_file(store: Store, path: Path, graph: str) -> None:
    with path.open("rb") as data:
        store.load(data, format=ox.RdfFormat.TURTLE, graph=graph)
