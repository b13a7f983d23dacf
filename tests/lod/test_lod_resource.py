"""/id/{path}: content negotiation, 404s, caching headers and what a description contains."""

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kgservice.store import union

BASE = "https://w3id.org/thaiplan/id/"
KK1 = "plan/provincial-40-2566-2570/strategy/1"
PROJECT = "plan/lao-pao-40-2566-2570/project/1"
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def triples_of(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, format=fmt)}


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_each_rdf_syntax_by_accept(client: TestClient, media_type: str) -> None:
    response = client.get(f"/id/{KK1}", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    label = ox.Literal("การพัฒนาคุณภาพชีวิตและสังคมแห่งการเรียนรู้", language="th")
    rdfs_label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert ox.Triple(ox.NamedNode(BASE + KK1), rdfs_label, label) in triples_of(
        response.content, RDF_TYPES[media_type]
    )


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ],
)
def test_format_parameter_overrides_accept(client: TestClient, fmt: str, media_type: str) -> None:
    response = client.get(f"/id/{KK1}?format={fmt}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].split(";")[0] == media_type


def test_browsers_get_the_thai_page(client: TestClient) -> None:
    response = client.get(
        f"/id/{KK1}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-language"] == "th"
    assert "การพัฒนาคุณภาพชีวิตและสังคมแห่งการเรียนรู้" in response.text


def test_english_page_by_parameter_and_by_accept_language(client: TestClient) -> None:
    by_parameter = client.get(f"/id/{KK1}?lang=en")
    by_header = client.get(f"/id/{KK1}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    for response in (by_parameter, by_header):
        assert response.headers["content-language"] == "en"
        assert (
            '<h1 class="resource-label">Quality of life and a learning society</h1>'
            in response.text
        )


def test_unknown_iri_is_404(client: TestClient) -> None:
    for accept in ("text/html", "text/turtle"):
        response = client.get("/id/plan/no-such-plan", headers={"Accept": accept})
        assert response.status_code == 404


def test_etag_answers_304_when_the_client_has_it(client: TestClient) -> None:
    first = client.get(f"/id/{KK1}", headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"]
    again = client.get(f"/id/{KK1}", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other_syntax = client.get(f"/id/{KK1}", headers={"Accept": "application/n-triples"})
    assert other_syntax.headers["etag"] != etag


def test_etag_changes_when_the_resource_changes(client: TestClient) -> None:
    page = f"/id/{PROJECT}"
    before = {
        a: client.get(page, headers={"Accept": a}).headers["etag"]
        for a in ("text/turtle", "text/html")
    }
    store = client.app.state.store  # type: ignore[attr-defined]
    graph = f"{BASE}graph/khon-kaen"
    note = f'<{BASE}{PROJECT}> <http://www.w3.org/2000/01/rdf-schema#comment> "เพิ่มเติม"@th'
    store.update(union.insert_data(graph, f"{note} ."))
    try:
        for accept, etag in before.items():
            response = client.get(page, headers={"Accept": accept, "If-None-Match": etag})
            assert response.status_code == 200
            assert response.headers["etag"] != etag
    finally:
        store.update(union.delete(graph, note, f"GRAPH <{graph}> {{ {note} }}"))


def test_description_has_incoming_links_labels_and_sub_resources(client: TestClient) -> None:
    kk1 = triples_of(client.get(f"/id/{KK1}?format=nt").content, ox.RdfFormat.N_TRIPLES)
    supports = ox.NamedNode("https://w3id.org/thaiplan/ontology#supports")
    supporters = {
        t.subject.value for t in kk1 if t.predicate == supports and t.object.value == BASE + KK1
    }
    assert supporters == {
        BASE + "plan/lao-pao-40-2566-2570/strategy/2",
        BASE + "plan/lao-mun-400101-2566-2570/strategy/1",
    }
    labelled = {t.subject.value for t in kk1 if t.predicate.value.endswith("#label")}
    assert BASE + "plan/national-strategy/strategy/3" in labelled
    assert BASE + "plan/lao-pao-40-2566-2570/strategy/2" in labelled
    project = triples_of(client.get(f"/id/{PROJECT}?format=nt").content, ox.RdfFormat.N_TRIPLES)
    amounts = {t.object.value for t in project if t.predicate.value.endswith("#amount")}
    assert {float(a) for a in amounts} == {1_500_000, 2_000_000}
