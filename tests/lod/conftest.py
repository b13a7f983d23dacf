"""An app over a memory store holding the ontology, the shapes and the Khon Kaen fixture."""

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


def fixture_settings() -> Settings:
    return Settings(memory=True, load_bundled_data=False, bundled_data_dir=DATA)


def load_fixture_store(settings: Settings) -> EmbeddedStore:
    store = EmbeddedStore(None)
    for name, folder in (("ontology", settings.ontology_dir), ("shapes", settings.shapes_dir)):
        for path in sorted(folder.glob("*.ttl")):
            store.load(
                path.read_bytes(),
                format=ox.RdfFormat.TURTLE,
                graph=graph_iri(settings.base_iri, name),
            )
    for path in sorted(settings.bundled_data_dir.rglob("*.ttl")):
        store.load(
            path.read_bytes(),
            format=ox.RdfFormat.TURTLE,
            graph=graph_iri(settings.base_iri, path.stem),
        )
    derived.refresh(store, settings)
    return store


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = fixture_settings()
    app = create_app(settings, store=load_fixture_store(settings))
    with TestClient(app) as test_client:
        yield test_client
