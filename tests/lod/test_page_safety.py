"""Pages are safe to open: no IRI with a scheme that runs script becomes a link, and every
answer carries the browser's safeguards (a strict Content-Security-Policy and the rest)."""

from collections.abc import Iterator
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hostile import SCRIPT_IRI, STRATEGY, TURTLE, WEB_IRI

from kgservice.namespaces import DEFAULT_BASE, graph_iri

PAGES = ["/", "/query", "/ontology", "/shapes", "/search?q=ขอนแก่น", f"/id/{STRATEGY}"]


@pytest.fixture(scope="module")
def hostile(client: TestClient) -> Iterator[TestClient]:
    graph = graph_iri(DEFAULT_BASE, "hostile")
    client.app.state.store.load(TURTLE.encode(), format=ox.RdfFormat.TURTLE, graph=graph)  # type: ignore[attr-defined]
    yield client


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes (a textarea's text is no markup)."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "textarea")

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_only_web_and_mail_iris_become_links(hostile: TestClient) -> None:
    page = hostile.get(f"/id/{STRATEGY}", headers={"Accept": "text/html"})
    hrefs = [attrs.get("href") or "" for tag, attrs in tags_of(page.text) if tag == "a"]
    assert WEB_IRI in hrefs
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]
    assert SCRIPT_IRI in page.text  # shown, as text


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_safeguards(hostile: TestClient, path: str) -> None:
    page = hostile.get(path, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_nothing_inline_that_the_policy_forbids(hostile: TestClient, path: str) -> None:
    tags = tags_of(hostile.get(path, headers={"Accept": "text/html"}).text)
    assert all(attrs.get("src") for tag, attrs in tags if tag == "script")
    assert not [tag for tag, attrs in tags if tag == "style" or "style" in attrs]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]


def test_errors_and_data_are_not_sniffed(hostile: TestClient) -> None:
    for answer in (hostile.get("/id/nothing-here"), hostile.get("/sparql?query=ASK{}")):
        assert answer.headers["x-content-type-options"] == "nosniff"
