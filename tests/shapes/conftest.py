"""Stores for the rule tests: the ontology with the examples' reference data (``context.ttl``),
and the ontology with all bundled data but the legacy records."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rule_examples import BUNDLED, EXAMPLES

from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(memory=True, load_bundled_data=False)


@pytest.fixture(scope="session")
def example_store() -> Iterator[EmbeddedStore]:
    yield from store_with([EXAMPLES / "context.ttl"])


@pytest.fixture(scope="session")
def bundled_store() -> Iterator[EmbeddedStore]:
    yield from store_with(BUNDLED)


def store_with(files: list[Path]) -> Iterator[EmbeddedStore]:
    """The ontology, and each file in its graph ``graph/{stem}`` as bootstrap loads it."""
    store = EmbeddedStore(None)
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph("ontology"))
    for path in files:
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph(path.stem))
    yield store
    store.close()


def graph(name: str) -> str:
    return graph_iri(DEFAULT_BASE, name)
