"""Fixtures for the bulk-load tests: generated plans of a few local governments (``kgservice
generate --scale small``: Khon Kaen's PAO and the local governments of one district, ~28k
statements), as one file and as one file per organisation, and a store holding the bundled data,
copied for each test."""

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from kgservice.bootstrap import bootstrap
from kgservice.cli import main
from kgservice.namespaces import DEFAULT_BASE, graph_iri
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
    path = tmp_path_factory.mktemp("national") / "national.nt"
    path.write_bytes(b"".join(p.read_bytes() for p in organisation_files))
    return path


@pytest.fixture(scope="session")
def expected_graphs(organisation_files: list[Path]) -> dict[str, int]:
    """Per organisation graph, its distinct statements: those of the files named after it."""
    lines: defaultdict[str, set[bytes]] = defaultdict(set)
    for path in organisation_files:
        lines[graph_iri(DEFAULT_BASE, path.stem)].update(path.read_bytes().splitlines())
    return {graph: len(statements) for graph, statements in lines.items()}


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
