from fastapi.testclient import TestClient

from kgservice.app import create_app
from kgservice.settings import Settings


def test_healthz_reports_an_empty_memory_store() -> None:
    app = create_app(Settings(memory=True, load_bundled_data=False))
    with TestClient(app) as client:
        body = client.get("/healthz").json()
    assert body == {"status": "ok", "store": "embedded", "graphs": 0, "bundled_data": "not loaded"}
