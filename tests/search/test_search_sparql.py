"""Text search inside SPARQL: ``?x tp:matchesText "words"`` resolved before the engine."""

from typing import Any

from fastapi.testclient import TestClient

BASE = "https://w3id.org/thaiplan/id/"
PREFIX = "PREFIX tp: <https://w3id.org/thaiplan/ontology#>\n"


def rows(client: TestClient, query: str) -> list[dict[str, Any]]:
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    bindings: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return bindings


def test_text_joined_with_a_graph_pattern(client: TestClient) -> None:
    query = PREFIX + (
        'SELECT ?project WHERE { ?project tp:matchesText "ถนน คสล." . '
        f"?project tp:partOf+ <{BASE}plan/lao-mun-401001-2566-2570> }}"
    )
    assert {r["project"]["value"] for r in rows(client, query)} == {
        f"{BASE}plan/lao-mun-401001-2566-2570/project/1",
        f"{BASE}plan/lao-mun-401001-2566-2570/project/2",
    }


def test_full_iri_and_a_pattern_closing_its_group(client: TestClient) -> None:
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { "
        '?x <https://w3id.org/thaiplan/ontology#matchesText> """ถนน คสล.""" }'
    )
    assert rows(client, query)[0]["n"]["value"] == "10"  # as /search finds


def test_words_in_a_string_elsewhere_are_left_alone(client: TestClient) -> None:
    query = 'SELECT ?t WHERE { BIND("?x tp:matchesText \\"ถนน\\"" AS ?t) }'
    assert rows(client, query)[0]["t"]["value"] == '?x tp:matchesText "ถนน"'


def test_a_misused_text_match_is_a_400(client: TestClient) -> None:
    query = PREFIX + 'SELECT * WHERE { <urn:x> tp:matchesText "ถนน" }'
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "matchesText" in response.json()["message"]


def test_the_readme_example(client: TestClient) -> None:
    query = PREFIX + (
        'SELECT ?project ?strategy WHERE { ?project tp:matchesText "ถนน" . '
        "?project a tp:Project ; tp:partOf*/tp:supports ?strategy . "
        f"?strategy tp:partOf+ <{BASE}plan/provincial-40-2566-2570> }}"
    )
    found = {(r["project"]["value"], r["strategy"]["value"]) for r in rows(client, query)}
    road = f"{BASE}plan/lao-sao-401014-2566-2570/project/1"  # โครงการก่อสร้างถนน คสล. หมู่ ๔
    assert (road, f"{BASE}plan/provincial-40-2566-2570/strategy/2") in found
    assert f"{BASE}plan/lao-mun-401001-2566-2570/project/9" not in {p for p, _ in found}  # ขุดลอก


def test_a_text_match_with_a_broken_string_is_a_400(client: TestClient) -> None:
    query = PREFIX + 'SELECT * WHERE { ?x tp:matchesText "\\uZZZZ" }'
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
