"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests, run through the real app at ``/data``.

Each manifest entry is a sequence of HTTP requests (``ht:Request``) with the expected status,
Content-Type and body; requests go to a fresh store of each backend with an administrator's token.
"""

from collections.abc import Iterator

import pytest
import rdflib
from engines import REMOTE_ENGINES, emptied
from fastapi.testclient import TestClient
from protocol_manifest import w3c_dir
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.web.app import create_app

MANIFESTS = w3c_dir() / "graph-store-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
STATUS = {
    "OK": {200},
    "Created": {201},
    "NoContent": {204},
    "NotFound": {404},
    "StatusCode2xx": set(range(200, 300)),
}


def manifest_tests() -> Iterator[object]:
    for name in ("manifest-indirect.ttl", "manifest-direct.ttl"):
        graph = rdflib.Graph().parse(MANIFESTS / name, format="turtle")
        entries = next(graph.objects(predicate=MF.entries))
        for test in Collection(graph, entries):
            yield pytest.param(graph, test, id=str(test).rsplit("#", 1)[-1])


@pytest.fixture(params=["embedded", *REMOTE_ENGINES])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty(settings: Settings) -> Settings:
    """``settings`` of an empty store."""
    return emptied(settings) if settings.store == "remote" else settings


@pytest.mark.parametrize(("manifest", "test"), list(manifest_tests()))
def test_graph_store_protocol(
    manifest: rdflib.Graph, test: rdflib.term.Node, empty: Settings
) -> None:
    settings = empty
    _, token = TokenFile(settings.tokens_path).create(f"{settings.base_iri}org/w3c", admin=True)
    action = manifest.value(test, MF.action)
    requests = Collection(manifest, manifest.value(action, HT.requests))  # type: ignore[arg-type]
    variables: dict[str, str] = {}
    with TestClient(create_app(settings), base_url="http://www.example") as client:
        for request in requests:
            run_request(client, manifest, request, token, variables)


def run_request(
    client: TestClient,
    manifest: rdflib.Graph,
    request: rdflib.term.Node,
    token: str,
    variables: dict[str, str],
) -> None:
    path = substitute(str(manifest.value(request, HT.absolutePath)), variables)
    path = "/data" + path.removeprefix("/gsp")
    headers = {"Authorization": f"Bearer {token}", **header_fields(manifest, request)}
    body = manifest.value(manifest.value(request, HT.body), CNT.chars)
    method = str(manifest.value(request, HT.methodName))
    response = client.request(
        method,
        path,
        headers=headers,
        content=substitute(str(body), variables).encode() if body is not None else None,
    )
    expected = manifest.value(request, HT.resp)
    allowed = set().union(
        *(STATUS[s.rsplit("#", 1)[-1]] for s in expected_statuses(manifest, expected))
    )
    assert response.status_code in allowed, f"{method} {path}: {response.text}"
    location = manifest.value(expected, MF.expectedLocation)
    if location is not None:
        variables[str(location)] = response.headers["location"]
    check_content(manifest, expected, response)


def check_content(
    manifest: rdflib.Graph, expected: rdflib.term.Node | None, response: object
) -> None:
    expected_type = header_fields(manifest, expected).get("content-type")
    if expected_type:
        assert essence(response.headers["content-type"]) == essence(expected_type)  # type: ignore[attr-defined]
    body = manifest.value(manifest.value(expected, HT.body), CNT.chars)
    if body is not None:
        got = rdflib.Graph().parse(data=response.text, format="turtle")  # type: ignore[attr-defined]
        want = rdflib.Graph().parse(data=str(body), format="turtle")
        assert isomorphic(got, want), response.text  # type: ignore[attr-defined]


def expected_statuses(manifest: rdflib.Graph, response: rdflib.term.Node | None) -> list[str]:
    return [str(s) for s in manifest.objects(response, MF.expectedStatus)]


def header_fields(manifest: rdflib.Graph, message: rdflib.term.Node | None) -> dict[str, str]:
    headers = manifest.value(message, HT.headers)
    if headers is None:
        return {}
    return {
        str(manifest.value(h, HT.fieldName)).lower(): str(manifest.value(h, HT.fieldValue))
        for h in Collection(manifest, headers)
    }


def substitute(text: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        text = text.replace(name, value)
    return text


def essence(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()
