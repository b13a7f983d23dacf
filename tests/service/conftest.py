"""Fixtures for the store and the SPARQL endpoint: one real store per backend.

The remote backends are a real ``oxigraph serve`` and a real Virtuoso on loopback, each started
once per session (``tests/conftest.py``).
"""

from collections.abc import Callable, Iterator

import pytest
from engines import REMOTE_ENGINES, emptied, remote_settings

from kgservice.settings import Settings
from kgservice.store import Store, open_store


@pytest.fixture(params=["embedded", *REMOTE_ENGINES])
def store_settings(
    request: pytest.FixtureRequest, engine_url: Callable[[str], str]
) -> Iterator[Settings]:
    """Settings for an empty store of each backend (a remote one is emptied for each test)."""
    if request.param == "embedded":
        yield Settings(memory=True, load_bundled_data=False)
        return
    yield emptied(remote_settings(request.param, engine_url(request.param)))


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    opened = open_store(store_settings)
    yield opened
    opened.close()
