"""An /id/ path that names no IRI is the client's mistake: 400 with the JSON error body. Asked
of a real uvicorn, which (unlike the test client) decodes the path exactly once."""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import serving

from kgservice.settings import Settings
from kgservice.web.app import create_app

BASE = "https://w3id.org/thaiplan/id/"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    app = create_app(Settings(memory=True, load_bundled_data=True, bundled_data_dir=DATA))
    with serving(app) as url:
        yield url


def get(url: str, accept: str) -> tuple[int, dict[str, str]]:
    """The status and JSON body of an answer that is an error."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    return caught.value.code, json.loads(caught.value.read())


@pytest.mark.parametrize(
    "path", ["%ZZ", "a%20b", "%00", "%25", "a%3Eb", "%7B%7D", "%E0%B8", "a%22b", "a%5Cb"]
)
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_a_path_that_is_no_iri_is_a_400(site: str, path: str, accept: str) -> None:
    status, body = get(f"{site}/id/{path}", accept)
    assert status == 400
    assert body["error"] == "bad_request" and "not an IRI" in body["message"]
    assert body["iri"].startswith(BASE)


def test_an_encoded_percent_reaches_an_iri_with_one(site: str) -> None:
    # The pages link to the IRI .../a%20b as /id/a%2520b: a valid IRI, only not in the graph.
    status, body = get(f"{site}/id/a%2520b", "text/html")
    assert status == 404
    assert body["iri"] == f"{BASE}a%20b"
