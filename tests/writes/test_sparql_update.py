"""SPARQL Update on /sparql: only an authenticated writer, only within its own graphs."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient
from plan_store import BASE, Token

from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.store.base import solutions
from kgservice.web.app import create_app

ORG = "lao-sao-401014"
GRAPH = f"{BASE}graph/{ORG}"
ORG_IRI = f"{BASE}org/{ORG}"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
NOTE = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ORG_IRI}> rdfs:comment "บันทึก"@th }} }}"""


def update(client: TestClient, text: str, token: str | None = None) -> object:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/sparql", content=text.encode(), headers=headers)


def ask(client: TestClient, query: str) -> bool:
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    return bool(response.json()["boolean"])


def test_an_organisation_updates_its_own_graph(client: TestClient, token: Token) -> None:
    response = update(client, NOTE, token(ORG))
    assert response.status_code in (200, 201, 204), response.text  # type: ignore[attr-defined]
    assert ask(client, f'ASK {{ GRAPH <{GRAPH}> {{ <{ORG_IRI}> ?p "บันทึก"@th }} }}')


def test_anonymous_updates_are_refused(client: TestClient, store: Store) -> None:
    before = store.graphs()
    response = update(client, NOTE)
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.headers["www-authenticate"].startswith("Bearer")  # type: ignore[attr-defined]
    assert store.graphs() == before


def test_updates_of_another_organisations_graph_are_forbidden(
    client: TestClient, store: Store, token: Token
) -> None:
    before = store.graphs()
    writer = token("lao-pao-40")
    for text in (
        NOTE,
        f"WITH <{GRAPH}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        f"DROP GRAPH <{BASE}graph/areas>",
        "CLEAR ALL",
        "INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
        'INSERT DATA { <https://example.org/s> <https://example.org/p> "o" }',
    ):
        assert update(client, text, writer).status_code == 403, text  # type: ignore[attr-defined]
    assert store.graphs() == before


def test_an_update_that_would_fetch_a_url_is_refused(
    client: TestClient, store: Store, token: Token
) -> None:
    before = store.graphs()
    load = f"LOAD <http://127.0.0.1:9/plan.ttl> INTO GRAPH <{GRAPH}>"
    assert update(client, load, token(ORG, admin=True)).status_code == 400  # type: ignore[attr-defined]
    assert store.graphs() == before


def test_an_update_that_breaks_a_rule_is_refused_with_the_report(
    client: TestClient, store: Store, token: Token
) -> None:
    project = f"{BASE}plan/lao-sao-401014-2566-2570/project/1"
    text = f"""PREFIX tp: <https://w3id.org/thaiplan/ontology#>
INSERT DATA {{ GRAPH <{GRAPH}> {{ <{project}> a tp:Project }} }}"""
    response = update(client, text, token(ORG))
    assert response.status_code == 422  # type: ignore[attr-defined]
    results = response.json()["report"]["results"]  # type: ignore[attr-defined]
    assert {(r["rule"], r["focus"]) for r in results} >= {("R01", project)}
    assert GRAPH not in store.graphs()


def test_each_write_is_recorded_in_the_provenance_graph(client: TestClient, token: Token) -> None:
    assert update(client, NOTE, token(ORG)).status_code in (200, 201, 204)  # type: ignore[attr-defined]
    query = f"""PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX tp: <https://w3id.org/thaiplan/ontology#>
SELECT ?count WHERE {{ GRAPH <{BASE}graph/provenance> {{
  ?s a tp:Submission ; prov:wasAssociatedWith <{ORG_IRI}> ; tp:targetGraph <{GRAPH}> ;
     tp:tripleCount ?count ; prov:startedAtTime ?start ; prov:endedAtTime ?end .
  FILTER (?start <= ?end)
}} }}"""
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    rows = response.json()["results"]["bindings"]
    assert [r["count"]["value"] for r in rows] == ["1"]


def test_provenance_counts_the_triples_of_the_graph_after_the_write(
    client: TestClient, store: Store, token: Token
) -> None:
    writer = token(ORG)
    update(client, NOTE, writer)
    second = NOTE.replace('"บันทึก"@th', '"บันทึกที่สอง"@th')
    update(client, second, writer)
    counts = store.query(
        "SELECT * WHERE { GRAPH ?g { ?s ?count ?n } }",
        bindings={
            "g": ox.NamedNode(f"{BASE}graph/provenance"),
            "count": ox.NamedNode("https://w3id.org/thaiplan/ontology#tripleCount"),
        },
    )
    assert sorted(int(row["n"].value) for row in solutions(counts)) == [1, 2]


def test_a_malformed_update_is_a_400_with_its_position(
    client: TestClient, store: Store, token: Token
) -> None:
    before = store.graphs()
    writer = token(ORG)
    broken = update(client, f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ORG_IRI}> }} }}", writer)
    assert broken.status_code == 400  # type: ignore[attr-defined]
    assert broken.json()["line"] == 1  # type: ignore[attr-defined]
    undeclared = update(client, f"INSERT DATA {{ GRAPH <{GRAPH}> {{ x:a x:b x:c }} }}", writer)
    assert undeclared.status_code == 400  # type: ignore[attr-defined]
    assert store.graphs() == before


def test_an_update_that_does_nothing_records_nothing(
    client: TestClient, store: Store, token: Token
) -> None:
    before = store.graphs()
    response = update(client, "PREFIX tp: <https://w3id.org/thaiplan/ontology#>", token(ORG))
    assert response.status_code == 204  # type: ignore[attr-defined]
    assert store.graphs() == before


def test_only_an_administrator_loads_and_only_from_an_allowed_endpoint(
    settings: Settings, store: Store, token: Token, tmp_path: Path
) -> None:
    (tmp_path / "note.nt").write_text(f'<{ORG_IRI}> <{RDFS}comment> "จากแฟ้ม"@th .\n')
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        source = f"http://127.0.0.1:{server.server_address[1]}/note.nt"
        allowed = settings.model_copy(update={"allowed_service_endpoints": [source]})
        load = f"LOAD <{source}> INTO GRAPH <{GRAPH}>"
        with TestClient(create_app(allowed, store=store)) as client:
            assert update(client, load, token(ORG)).status_code == 400  # type: ignore[attr-defined]
            assert GRAPH not in store.graphs()
            loaded = update(client, load, token("operator", admin=True))
            assert loaded.status_code == 201  # type: ignore[attr-defined]
        server.shutdown()
    assert store.graphs()[GRAPH] == 1
