"""/sparql through the real app, on each store backend: the protocol, formats and CORS."""

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kgservice.settings import Settings
from kgservice.store import Store, union
from kgservice.web.app import create_app

EX = "http://example.org/"
G1 = f"{EX}graph/one"
SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}label> ?name }} WHERE {{ ?s <{EX}name> ?name }}"
EXPECTED_TRIPLES = {
    ox.Triple(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}label"), ox.Literal("เอ", language="th")),
    ox.Triple(ox.NamedNode(f"{EX}b"), ox.NamedNode(f"{EX}label"), ox.Literal('say "b",\tplease')),
}


@pytest.fixture
def client(store_settings: Settings, store: Store) -> Iterator[TestClient]:
    store.update(
        union.insert_data(
            G1, f'<{EX}a> <{EX}name> "เอ"@th . <{EX}b> <{EX}name> "say \\"b\\",\\tplease" .'
        )
    )
    with TestClient(create_app(store_settings, store=store)) as test_client:
        yield test_client


def select_rows(response_body: bytes, media_type: str) -> list[tuple[str, str]]:
    results = ox.parse_query_results(
        response_body, ox.QueryResultsFormat.from_media_type(media_type)
    )
    return [(row["s"].value, row["name"].value) for row in results]  # type: ignore[union-attr,index]


EXPECTED_ROWS = [(f"{EX}a", "เอ"), (f"{EX}b", 'say "b",\tplease')]


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
    ],
)
def test_select_results_in_each_parseable_format(client: TestClient, media_type: str) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert select_rows(response.content, media_type) == EXPECTED_ROWS


def test_select_results_as_csv_quote_what_needs_quoting(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert response.text.split("\r\n") == [
        "s,name",
        f"{EX}a,เอ",
        f'{EX}b,"say ""b"",\tplease"',
        "",
    ]


def test_select_defaults_to_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT})
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert json.loads(response.text)["head"]["vars"] == ["s", "name"]


def test_ask_answers_a_boolean(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": f"ASK {{ <{EX}a> ?p ?o }}"})
    assert response.json() == {"head": {}, "boolean": True}


def test_ask_in_xml(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        content=f"ASK {{ <{EX}zzz> ?p ?o }}",
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+xml",
        },
    )
    assert bool(ox.parse_query_results(response.content, ox.QueryResultsFormat.XML)) is False


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
)
def test_construct_in_each_rdf_format(client: TestClient, media_type: str) -> None:
    response = client.post(
        "/sparql",
        content=CONSTRUCT,
        headers={"Content-Type": "application/sparql-query", "Accept": media_type},
    )
    assert response.headers["content-type"].startswith(media_type)
    parsed = ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))
    assert {quad.triple for quad in parsed} == EXPECTED_TRIPLES


def test_construct_defaults_to_turtle(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_the_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "application/json"}
    )
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_an_unsatisfiable_accept_gets_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"] == "not_acceptable"


def test_protocol_named_graphs_define_the_dataset(client: TestClient) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    response = client.get("/sparql", params={"query": query, "named-graph-uri": G1})
    assert response.json()["results"]["bindings"] == []  # the default graph is then empty


def test_a_syntax_error_is_400_with_line_and_column(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "query_syntax"
    assert body["line"] == 2


def test_errors_are_plain_text_for_a_client_that_asks_for_text(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT"}, headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("query_syntax: ")


def test_read_responses_allow_any_origin(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://x.test"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_preflight_allows_queries_but_not_credentials(client: TestClient) -> None:
    response = client.options(
        "/sparql",
        headers={"Origin": "https://x.test", "Access-Control-Request-Method": "POST"},
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" not in response.headers["access-control-allow-headers"].lower()


def test_an_update_without_credentials_is_401_and_changes_nothing(client: TestClient) -> None:
    response = client.post("/sparql", data={"update": f"DROP GRAPH <{G1}>"})
    assert response.status_code == 401
    assert client.app.state.store.graphs() == {G1: 2}  # type: ignore[attr-defined]


def test_a_direct_update_without_credentials_is_401(client: TestClient) -> None:
    response = client.post(
        "/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert response.status_code == 401
    assert client.app.state.store.graphs() == {G1: 2}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
    ],
)
def test_unbound_values_blank_nodes_and_typed_literals_round_trip(
    client: TestClient, store: Store, media_type: str
) -> None:
    store.update(union.insert_data(G1, f"_:x <{EX}kind> 'blank' ."))
    query = f"""SELECT ?n ?b ?missing WHERE {{
      VALUES ?n {{ 1 "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }}
      ?b <{EX}kind> 'blank' OPTIONAL {{ ?n ?nothing ?missing }}
    }}"""
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    format = ox.QueryResultsFormat.from_media_type(media_type)
    rows = list(ox.parse_query_results(response.content, format))  # type: ignore[arg-type]
    assert len(rows) == 2
    assert {row["n"] for row in rows} == {
        ox.Literal(1),
        ox.Literal("2024-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    }
    assert all(isinstance(row["b"], ox.BlankNode) and row["missing"] is None for row in rows)


def test_a_big_result_is_streamed_whole(client: TestClient) -> None:
    query = "SELECT ?i WHERE { VALUES ?x { 0 1 2 3 4 5 6 7 8 9 } VALUES ?y { 0 1 2 3 4 5 6 7 8 9 }"
    query += (
        " VALUES ?z { 0 1 2 3 4 5 6 7 8 9 } VALUES ?w { 0 1 } BIND(?x*1000+?y*100+?z*10+?w AS ?i) }"
    )
    response = client.get("/sparql", params={"query": query})
    assert "content-length" not in response.headers  # sent in chunks as it is written
    values = sorted(int(b["i"]["value"]) for b in response.json()["results"]["bindings"])
    assert len(values) == 2000
    assert values[:3] == [0, 1, 10]


def test_query_errors_are_readable_from_other_sites(client: TestClient) -> None:
    response = client.post(
        "/sparql", data={"query": "SELECT"}, headers={"Origin": "https://x.test"}
    )
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == "*"


def test_update_answers_carry_no_cors_header(client: TestClient) -> None:
    response = client.post(
        "/sparql", data={"update": "CLEAR ALL"}, headers={"Origin": "https://x.test"}
    )
    assert response.status_code == 401
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples"])
def test_a_big_graph_result_is_streamed_in_pieces_that_parse_as_one(
    client: TestClient, media_type: str
) -> None:
    query = f"""CONSTRUCT {{ ?node <{EX}next> ?i }} WHERE {{
      VALUES ?x {{ 0 1 2 3 4 5 6 7 8 9 }} VALUES ?y {{ 0 1 2 3 4 5 6 7 8 9 }}
      VALUES ?z {{ 0 1 2 3 4 5 6 7 8 9 }} VALUES ?w {{ 0 1 }}
      BIND(?x*1000+?y*100+?z*10+?w AS ?i) BIND(IRI(CONCAT("{EX}node/", STR(?i))) AS ?node)
    }}"""
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert "content-length" not in response.headers
    parsed = [
        q.triple
        for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))
    ]
    assert len({t.subject for t in parsed}) == 2000
    assert {int(t.object.value) for t in parsed} == {
        x * 1000 + y * 100 + z * 10 + w
        for x in range(10)
        for y in range(10)
        for z in range(10)
        for w in range(2)
    }


def test_a_query_with_thai_backslashes_and_percent_signs_arrives_whole(client: TestClient) -> None:
    query = 'SELECT ?v WHERE { BIND("ก\\\\ 50% \\u0041 %41+1" AS ?v) }'
    by_get = client.get("/sparql", params={"query": query})
    by_form = client.post("/sparql", data={"query": query})
    for response in (by_get, by_form):
        [row] = response.json()["results"]["bindings"]
        assert row["v"]["value"] == "ก\\ 50% A %41+1"


UNBOUND_FOR_B = f'BIND(IF(?s = <{EX}a>, "z", ?nothing) AS ?o)'


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY DESC(?s)", ["b", "a"]),
        # sorted by the service (kgservice.query.ordering), in SPARQL's order: unbound first
        (f"SELECT ?s ?o WHERE {{ ?s <{EX}name> ?n {UNBOUND_FOR_B} }} ORDER BY ?o", ["b", "a"]),
        # LIMIT after it: the engine sorts, and the one row is the last by ?s
        (f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY DESC(?s) LIMIT 1", ["b"]),
        # too long to read in Python: the engine sorts
        (f"#{'x' * 70_000}\nSELECT ?s WHERE {{ ?s <{EX}name> ?n }} ORDER BY DESC(?s)", ["b", "a"]),
    ],
    ids=["desc", "unbound-first", "limit", "long"],
)
def test_rows_come_back_in_the_order_asked_for(
    client: TestClient, query: str, expected: list[str]
) -> None:
    response = client.post("/sparql", data={"query": query})
    bindings = response.json()["results"]["bindings"]
    assert [b["s"]["value"].removeprefix(EX) for b in bindings] == expected
