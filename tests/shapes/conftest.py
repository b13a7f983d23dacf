"""Stores for the rule tests: the ontology with the examples' reference data (``context.ttl``),
and the ontology with all bundled data but the legacy records."""

from collections.abc import Iterator

import pytest
from rule_examples import BUNDLED, EXAMPLES, store_with

from kgservice.settings import Settings
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
