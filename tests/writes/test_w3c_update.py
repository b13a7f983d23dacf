"""The update tests of the W3C SPARQL 1.1 Protocol manifest, sent with an administrator's token.

The query tests of the same manifest run with the endpoint's own tests; its manifest reader is
shared from there.
"""

from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from protocol_manifest import ProtocolTest, protocol_tests, w3c_dir

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

UPDATE_TESTS = [
    test
    for test in protocol_tests(w3c_dir() / "sparql11-protocol" / "manifest.ttl")
    if test.sends_update
]


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.id for t in UPDATE_TESTS])
def test_sparql11_protocol_update(test: ProtocolTest, tmp_path: Path) -> None:
    settings = Settings(memory=True, load_bundled_data=False, tokens_file=tmp_path / "tokens.json")
    _, token = TokenFile(settings.tokens_path).create(f"{settings.base_iri}org/w3c", admin=True)
    store = EmbeddedStore(None)
    for graph, path in test.graph_data.items():
        store.load(path.read_bytes(), format=ox.RdfFormat.N_TRIPLES, graph=graph)
    with TestClient(create_app(settings, store=store), base_url="http://www.example") as client:
        for request in test.requests:
            response = client.request(
                request.method,
                request.path.replace("/sparql/", "/sparql", 1),
                headers={**request.headers, "Authorization": f"Bearer {token}"},
                content=request.body,
            )
            assert f"{response.status_code // 100}xx" in request.statuses, response.text
            if request.boolean is not None:
                media_type = response.headers["content-type"].split(";")[0]
                results_format = ox.QueryResultsFormat.from_media_type(media_type)
                answer = ox.parse_query_results(response.content, results_format)
                assert bool(answer) is request.boolean


def test_the_manifest_has_twelve_update_tests() -> None:
    assert len(UPDATE_TESTS) == 12
