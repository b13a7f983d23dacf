"""SPARQL Update on /sparql: only an authenticated writer, only within its own graphs."""

import pyoxigraph as ox
from fastapi.testclient import TestClient
from plan_store import BASE, Token

from kgservice.store import Store

ORG = "lao-sao-401014"
GRAPH = f"{BASE}graph/{ORG}"
ORG_IRI = f"{BASE}org/{ORG}"
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
        substitutions={
            "g": ox.NamedNode(f"{BASE}graph/provenance"),
            "count": ox.NamedNode("https://w3id.org/thaiplan/ontology#tripleCount"),
        },
    )
    assert sorted(int(row["n"].value) for row in counts) == [1, 2]  # type: ignore[union-attr]
