"""An allowed SERVICE or LOAD endpoint that misbehaves (redirects, answers HTML, a results
document where RDF is loaded, RDF that does not parse) is a 502 ``bad_gateway`` naming it, and a
LOAD from it changes nothing."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_support import LoopbackServer, Reply

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.web.app import create_app

BASE = "https://w3id.org/thaiplan/id/"
GRAPH = f"{BASE}graph/loaded"
RESULTS = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "/redirect": (302, "text/plain", b""),
    "/html": (200, "text/html", b"<html><body>Service unavailable</body></html>"),
    "/results": (200, "application/sparql-results+json", RESULTS),
    "/broken-json": (200, "application/sparql-results+json", b'{"head": '),
    "/broken-turtle": (200, "text/turtle", b"<https://example.org/s> <https://example.org/p> ."),
}


class Misbehaving(LoopbackServer):
    """A loopback HTTP server answering each path of ``ANSWERS`` as written there."""

    def __init__(self) -> None:
        super().__init__(self._answer)

    @staticmethod
    def _answer(path: str) -> Reply:
        status, media_type, body = ANSWERS[path.split("?")[0]]
        headers = {"Location": "http://127.0.0.1:9/elsewhere", "Content-Type": media_type}
        return status, headers, body


@pytest.fixture(scope="module")
def remote() -> Iterator[Misbehaving]:
    server = Misbehaving()
    yield server
    server.close()


@pytest.fixture(scope="module")
def settings(remote: Misbehaving, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        memory=True,
        load_bundled_data=False,
        tokens_file=tmp_path_factory.mktemp("tokens") / "tokens.json",
        allowed_service_endpoints=[remote.base + path for path in ANSWERS],
    )


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def admin(tokens: Path) -> dict[str, str]:
    _, secret = TokenFile(tokens).create(f"{BASE}org/operator", admin=True)
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("path", ["/redirect", "/html", "/broken-json"])
def test_a_misbehaving_service_endpoint_is_a_502(
    client: TestClient, remote: Misbehaving, path: str
) -> None:
    endpoint = remote.base + path
    query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 502
    assert response.json()["error"] == "bad_gateway"
    assert response.json()["endpoints"] == [endpoint]


@pytest.mark.parametrize("path", ["/redirect", "/html", "/results", "/broken-turtle"])
def test_a_load_of_something_that_is_not_rdf_is_a_502_and_changes_nothing(
    client: TestClient, remote: Misbehaving, settings: Settings, path: str
) -> None:
    update = f"LOAD <{remote.base}{path}> INTO GRAPH <{GRAPH}>"
    response = client.post("/sparql", data={"update": update}, headers=admin(settings.tokens_path))
    assert response.status_code == 502, response.text
    assert response.json()["error"] == "bad_gateway"
    assert client.get("/data", params={"graph": GRAPH}).status_code == 404


def test_a_syntax_error_in_an_update_that_loads_is_still_the_clients(
    client: TestClient, remote: Misbehaving, settings: Settings
) -> None:
    update = f"LOAD <{remote.base}/results> INTO GRAPH <{GRAPH}> ;\nINSERT DATA {{ <a> }}"
    response = client.post("/sparql", data={"update": update}, headers=admin(settings.tokens_path))
    assert response.status_code == 400
    assert response.json()["error"] == "query_syntax"
