"""The W3C SPARQL 1.1 Protocol and Service Description tests, through the real app."""

from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from protocol_manifest import Manifest, ProtocolTest, Request, protocol_tests, w3c_dir

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.store import open_store
from kgservice.web.app import create_app

PROTOCOL_TESTS = protocol_tests(w3c_dir() / "sparql11-protocol" / "manifest.ttl")
RESULT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
ADMIN = "https://w3id.org/thaiplan/id/org/admin"


@pytest.fixture
def client_for(store_settings: Settings, tmp_path: Path) -> Iterator[object]:
    """An app over a store holding the test's graph data; its client sends an administrator's
    token, since the update tests write graphs no organisation owns."""
    settings = store_settings.model_copy(update={"tokens_file": tmp_path / "tokens.json"})
    _, token = TokenFile(settings.tokens_path).create(ADMIN, admin=True)

    def build(test: ProtocolTest) -> TestClient:
        store = open_store(settings)
        for graph, path in test.graph_data.items():
            store.load(path.read_bytes(), format=ox.RdfFormat.N_TRIPLES, graph=graph)
        client = TestClient(create_app(settings, store=store))
        client.headers["Authorization"] = f"Bearer {token}"
        return client

    yield build


@pytest.mark.parametrize("test", PROTOCOL_TESTS, ids=[t.id for t in PROTOCOL_TESTS])
def test_sparql11_protocol(test: ProtocolTest, client_for: object) -> None:
    client = client_for(test)  # type: ignore[operator]
    for request in test.requests:
        check(send(client, request), request)


def send(client: TestClient, request: Request) -> httpx.Response:
    path = request.path.replace("/sparql/", "/sparql", 1)
    return client.request(request.method, path, headers=request.headers, content=request.body)


def check(response: httpx.Response, request: Request) -> None:
    assert f"{response.status_code // 100}xx" in request.statuses, response.text
    if request.format is None:
        return
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in RESULT_TYPES[request.format]
    if request.boolean is not None:
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        assert bool(ox.parse_query_results(response.content, results_format)) is request.boolean


def test_protocol_runner_covers_every_test_query_and_update() -> None:
    updates = [t for t in PROTOCOL_TESTS if t.sends_update]
    assert (len(PROTOCOL_TESTS), len(updates)) == (34, 12)


SD = "http://www.w3.org/ns/sparql-service-description#"
SD_TESTS = [
    entry.value.rpartition("#")[2]
    for entry in Manifest(w3c_dir() / "service-description" / "manifest.ttl").entries()
]


def description(client: TestClient, accept: str = "text/turtle") -> ox.Store:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    graph = ox.Store()
    graph.load(response.content, format=ox.RdfFormat.from_media_type(accept))
    return graph


def ask(graph: ox.Store, where: str) -> bool:
    return bool(graph.query(f"PREFIX sd: <{SD}> ASK {{ {where} }}"))


def check_has_endpoint_triple(client: TestClient) -> None:
    endpoint = "http://testserver/sparql"
    assert ask(description(client), f"?service a sd:Service ; sd:endpoint <{endpoint}>")


def check_returns_rdf(client: TestClient) -> None:
    for media_type in ("text/turtle", "application/rdf+xml", "application/ld+json"):
        assert ask(description(client, media_type), "?service a sd:Service")


def check_conforms_to_schema(client: TestClient) -> None:
    graph = description(client)
    assert ask(graph, "?s a sd:Service ; sd:supportedLanguage sd:SPARQL11Query")
    assert ask(graph, "?s sd:resultFormat ?format FILTER isIRI(?format)")
    assert ask(graph, "?s sd:feature sd:UnionDefaultGraph")
    assert ask(
        graph,
        """?s sd:defaultDataset ?d . ?d a sd:Dataset ; sd:defaultGraph ?default .
           ?d sd:namedGraph ?named . ?named a sd:NamedGraph ;
              sd:name <http://kasei.us/2009/09/sparql/data/data1.rdf>""",
    )
    assert not ask(graph, "?s sd:endpoint ?e FILTER(!isIRI(?e))")


SD_CHECKS = {
    "has-endpoint-triple": check_has_endpoint_triple,
    "returns-rdf": check_returns_rdf,
    "conforms-to-schema": check_conforms_to_schema,
}


@pytest.mark.parametrize("test_id", SD_TESTS)
def test_service_description(test_id: str, client_for: object) -> None:
    data = next(t for t in PROTOCOL_TESTS if t.graph_data)  # a store with named graphs
    SD_CHECKS[test_id](client_for(data))  # type: ignore[operator]
