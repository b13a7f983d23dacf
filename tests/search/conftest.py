"""An app over a memory store filled with the bundled data on its first start."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kgservice.settings import Settings
from kgservice.web.app import create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(memory=True))) as test_client:
        yield test_client
