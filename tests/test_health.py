from fastapi.testclient import TestClient

from kgservice.settings import Settings
from kgservice.web.app import create_app


def test_healthz_reports_an_empty_memory_store() -> None:
    app = create_app(Settings(memory=True, load_bundled_data=False))
    with TestClient(app) as client:
        body = client.get("/healthz").json()
    assert body == {"status": "ok", "store": "embedded", "graphs": 0, "bundled_data": "not loaded"}


def test_healthz_is_503_when_the_store_cannot_be_reached() -> None:
    settings = Settings(
        store="remote", remote_query_url="http://127.0.0.1:9/query", load_bundled_data=False
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["error"] == "store_unavailable"
