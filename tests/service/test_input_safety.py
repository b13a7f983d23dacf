"""Bodies through the real app: past the limits of nesting, triples and blank nodes a clear 413
or 422; parsed off the event loop; client mistakes answered 4xx with the JSON error body."""

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.web.app import create_app

BASE = "https://w3id.org/thaiplan/id/"
GRAPH = f"{BASE}graph/input-safety"
RDF_XML = "application/rdf+xml"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


def deep_rdf_xml(nodes: int) -> bytes:
    """Nodes nested in property elements, ``2 * nodes`` elements deep: the issue's 2.4 MB body."""
    return (
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:e="https://example.org/">'.encode()
        + b"<rdf:Description><e:p>" * nodes
        + b"<rdf:Description/>"
        + b"</e:p></rdf:Description>" * nodes
        + b"</rdf:RDF>"
    )


def blank_nodes(count: int) -> bytes:
    return b"".join(b"_:b%d <https://example.org/p> _:c%d .\n" % (i, i) for i in range(count))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        memory=True,
        load_bundled_data=False,
        tokens_file=tmp_path / "tokens.json",
        max_blank_nodes_per_body=1000,
    )


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


@pytest.fixture
def admin(settings: Settings) -> dict[str, str]:
    _, secret = TokenFile(settings.tokens_path).create(f"{BASE}org/operator", admin=True)
    return {"Authorization": f"Bearer {secret}"}


def test_rdf_xml_nested_50000_deep_is_refused_at_once_naming_the_setting(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = deep_rdf_xml(50_000)
    started = time.monotonic()
    checked = client.post("/validate", content=body, headers={"Content-Type": RDF_XML})
    written = client.put(
        "/data", params={"graph": GRAPH}, content=body, headers={**admin, "Content-Type": RDF_XML}
    )
    assert time.monotonic() - started < 5  # pyoxigraph alone takes minutes over it
    for response in (checked, written):
        assert response.status_code == 422
        assert response.json()["error"] == "nesting_too_deep"
        assert "KGSERVICE_MAX_NESTING_DEPTH" in response.json()["message"]
    assert client.get("/data", params={"graph": GRAPH}).status_code == 404


def test_too_many_blank_nodes_get_413_naming_the_setting(
    client: TestClient, admin: dict[str, str]
) -> None:
    body, turtle = blank_nodes(501), {"Content-Type": "text/turtle"}
    checked = client.post("/validate", content=body, headers=turtle)
    written = client.put(
        "/data", params={"graph": GRAPH}, content=body, headers={**admin, **turtle}
    )
    for response in (checked, written):
        assert response.status_code == 413
        assert response.json()["error"] == "payload_too_large"
        assert "KGSERVICE_MAX_BLANK_NODES_PER_BODY" in response.json()["message"]
        assert response.json()["limit"] == 1000
    assert client.get("/data", params={"graph": GRAPH}).status_code == 404


def test_too_many_triples_get_413(settings: Settings, admin: dict[str, str]) -> None:
    few = settings.model_copy(update={"max_triples_per_body": 100})
    body = b"".join(
        b"<https://example.org/s> <https://example.org/p> %d .\n" % i for i in range(101)
    )
    headers = {**admin, "Content-Type": "text/turtle"}
    response = TestClient(create_app(few)).put(
        "/data", params={"graph": GRAPH}, content=body, headers=headers
    )
    assert response.status_code == 413
    assert "KGSERVICE_MAX_TRIPLES_PER_BODY" in response.json()["message"]


def test_other_requests_are_answered_while_a_body_is_parsed(settings: Settings) -> None:
    # a depth the limit lets through and pyoxigraph's RDF/XML parser takes a second or more over
    lenient = settings.model_copy(update={"max_nesting_depth": 100_000})
    body = deep_rdf_xml(12_000)
    with TestClient(create_app(lenient)) as client:
        took, _, waits = health_while(
            client,
            lambda: client.post("/validate", content=body, headers={"Content-Type": RDF_XML}),
        )
    assert len(waits) > 3  # several answered while it was parsed
    assert max(waits) < took / 2


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_multipart_without_a_boundary_is_a_400(
    client: TestClient, admin: dict[str, str], method: str
) -> None:
    for content_type, body in (
        ("multipart/form-data", b"<a> <b> <c> ."),
        ("multipart/form-data; boundary=x", b"no parts at all"),
    ):
        response = client.request(
            method,
            "/data",
            params={"graph": GRAPH},
            content=body,
            headers={**admin, "Content-Type": content_type},
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "bad_request"
        assert "multipart" in response.json()["message"]


BOM = "\ufeff"


def test_a_query_starting_with_a_byte_order_mark_is_answered(client: TestClient) -> None:
    query = BOM + "ASK {}"
    for response in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query.encode(), headers={"Content-Type": SPARQL_QUERY}),
    ):
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is True


def test_an_update_starting_with_a_byte_order_mark_is_run(
    client: TestClient, admin: dict[str, str]
) -> None:
    update = BOM + f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{BASE}s> <{BASE}p> 1 }} }}"
    headers = {**admin, "Content-Type": SPARQL_UPDATE}
    response = client.post("/sparql", content=update.encode(), headers=headers)
    assert response.status_code == 201, response.text


def engine_position(update: str) -> tuple[int, int]:
    """Where pyoxigraph itself places the syntax error of ``update``."""
    with pytest.raises(SyntaxError) as caught:
        ox.Store().update(update)
    line, column = str(caught.value).removeprefix("error at ").split(":")[:2]
    return int(line), int(column)


@pytest.mark.parametrize(
    "line",
    [
        f"  GRAPH <{GRAPH}> {{ x:s <{BASE}p> 1 }}",  # undeclared prefix: rdflib gave no position
        f'  GRAPH <{GRAPH}> {{ <{BASE}s> <{BASE}p> "open }}',  # rdflib said 1:1
    ],
)
def test_an_update_syntax_error_is_placed_where_the_engine_finds_it(
    client: TestClient, admin: dict[str, str], line: str
) -> None:
    update = f"PREFIX e: <{BASE}>\nINSERT DATA {{\n{line}\n}}"
    headers = {**admin, "Content-Type": SPARQL_UPDATE}
    response = client.post("/sparql", content=update.encode(), headers=headers)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "query_syntax"
    assert (body["line"], body["column"]) == engine_position(update)
    assert body["line"] == 3


def test_other_requests_are_answered_while_a_big_form_is_decoded(client: TestClient) -> None:
    triples = " ".join(f'<{BASE}s{i}> <{BASE}p> "ค่า {i}" .' for i in range(80_000))
    form = {"update": f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {triples} }} }}"}
    with client:
        took, response, waits = health_while(client, lambda: client.post("/sparql", data=form))
    assert response.status_code == 401  # read, then refused: no token
    assert len(waits) > 3
    assert max(waits) < took / 2


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_dataset_graph_that_is_no_iri_is_a_400(client: TestClient, parameter: str) -> None:
    params = {"query": "ASK {}", parameter: "not an iri"}
    for response in (
        client.get("/sparql", params=params),
        client.post("/sparql", data=params),
    ):
        assert response.status_code == 400, response.text
        assert response.json() == {
            "error": "bad_request",
            "message": "ไม่ใช่ IRI: not an iri (not an IRI: not an iri)",
            "iri": "not an iri",
        }


def health_while(
    client: TestClient, request: Callable[[], Response]
) -> tuple[float, Response, list[float]]:
    """How long ``request`` took, its answer, and how long each ``/healthz`` asked meanwhile
    took to be answered."""
    outcome: list[tuple[float, Response]] = []

    def slow() -> None:
        started = time.monotonic()
        answer = request()
        outcome.append((time.monotonic() - started, answer))

    worker = threading.Thread(target=slow)
    worker.start()
    waits = []
    while worker.is_alive():
        started = time.monotonic()
        assert client.get("/healthz").status_code == 200
        waits.append(time.monotonic() - started)
    worker.join()
    ((took, answer),) = outcome
    return took, answer, waits
