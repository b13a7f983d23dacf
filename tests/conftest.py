"""What every test directory may use: the remote stores, one real server per engine started on
first use and stopped at the end of the session; and apps that start as on the bundled data."""

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from engines import started_on_first_use
from fastapi import FastAPI
from fastapi.testclient import TestClient
from queries_support import SETTINGS, bundled_store

from kgservice.settings import Settings
from kgservice.web.app import create_app


@pytest.fixture(scope="session")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """``engine_url(engine)`` -> the base URL of that engine's server."""
    with started_on_first_use(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def first_start_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search index a first start over the bundled data builds, to be copied."""
    where = tmp_path_factory.mktemp("first-start") / "search"
    with TestClient(create_app(SETTINGS.model_copy(update={"search_index_dir": where}))):
        return where


@pytest.fixture
def bundled_app(first_start_index: Path, tmp_path: Path) -> Callable[[Settings], FastAPI]:
    """``bundled_app(settings)`` -> the app ``create_app(settings)`` makes on its first start in
    memory over the bundled data, started instead over copies of one such first start's store
    and search index: it finds both up to date, and starts several times quicker."""

    def app(settings: Settings) -> FastAPI:
        assert settings.memory and settings.load_bundled_data
        assert settings.bundled_data_dir == SETTINGS.bundled_data_dir
        index = Path(tempfile.mkdtemp(dir=tmp_path)) / "search"
        shutil.copytree(first_start_index, index)
        return create_app(
            settings.model_copy(update={"search_index_dir": index}), store=bundled_store()
        )

    return app
