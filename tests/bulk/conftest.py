"""Fixtures for the bulk-load tests: generated plans of a few local governments (``kgservice
generate --scale small``: Khon Kaen's PAO and the local governments of one district, ~28k
statements), as one file and as one file per organisation, and a store holding the bundled data,
copied for each test."""

import shutil
from pathlib import Path

import pytest
from loaded import concatenated, statements_per_graph

from kgservice.bootstrap import bootstrap
from kgservice.cli import main
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    assert main(["generate", "--scale", "small", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def organisation_files(generated: Path) -> list[Path]:
    """One N-Triples file per organisation, and its imperfections in a file of their own."""
    return sorted(generated.glob("*.nt")) + sorted(generated.glob("imperfections/*.nt"))


@pytest.fixture(scope="session")
def national_file(organisation_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All the organisations' files in one, as a national export would be."""
    return concatenated(organisation_files, tmp_path_factory.mktemp("national") / "national.nt")


@pytest.fixture(scope="session")
def expected_graphs(organisation_files: list[Path]) -> dict[str, int]:
    return statements_per_graph(organisation_files)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store after a first start: ontology, shapes and the bundled data."""
    where = tmp_path_factory.mktemp("bundled") / "store"
    store = EmbeddedStore(where)
    bootstrap(store, Settings(data_dir=where))
    store.close()
    return where


@pytest.fixture
def data_dir(bundled_store: Path, tmp_path: Path) -> Path:
    where = tmp_path / "store"
    shutil.copytree(bundled_store, where)
    return where
