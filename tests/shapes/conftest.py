"""A store with the ontology and the examples' reference data (``context.ttl``)."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore

EXAMPLES = Path(__file__).parent


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(memory=True, load_bundled_data=False)


@pytest.fixture(scope="session")
def example_store() -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(None)
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=ontology_graph())
    context = (EXAMPLES / "context.ttl").read_bytes()
    store.load(context, format=ox.RdfFormat.TURTLE, graph=graph_iri(DEFAULT_BASE, "examples"))
    yield store
    store.close()


def ontology_graph() -> str:
    return graph_iri(DEFAULT_BASE, "ontology")
