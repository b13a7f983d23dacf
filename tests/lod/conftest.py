"""An app over a memory store that the service's first start fills with the ontology, the shapes
and the Khon Kaen fixture (in place of the bundled data), derived data included."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kgservice.settings import Settings
from kgservice.web.app import create_app

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Settings(memory=True, load_bundled_data=True, bundled_data_dir=DATA))
    with TestClient(app) as test_client:
        yield test_client
