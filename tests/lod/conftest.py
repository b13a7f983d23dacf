"""An app over a memory store holding the ontology, the shapes and the Khon Kaen fixture, loaded
into the named graphs the service's first start uses (``graph/ontology``, ``graph/shapes``,
``graph/{file stem}``), with the derived data refreshed."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kgservice import derived
from kgservice.app import create_app
from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore

DATA = Path(__file__).parent / "data"


def filled_store(settings: Settings) -> EmbeddedStore:
    store = EmbeddedStore(None)
    sources = [("ontology", p) for p in sorted(settings.ontology_dir.glob("*.ttl"))]
    sources += [("shapes", p) for p in sorted(settings.shapes_dir.glob("*.ttl"))]
    sources += [(p.stem, p) for p in sorted(settings.bundled_data_dir.rglob("*.ttl"))]
    for name, path in sources:
        graph = graph_iri(settings.base_iri, name)
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph)
    derived.refresh(store, settings)
    return store


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, load_bundled_data=False, bundled_data_dir=DATA)
    with TestClient(create_app(settings, store=filled_store(settings))) as test_client:
        yield test_client
