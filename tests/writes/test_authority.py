"""A writer describes only its own resources: statements about another organisation's plans, the
areas or anything minted under another's plan are refused (403, naming them), whichever way
they come (Graph Store PUT or POST, SPARQL Update, COPY or ADD); linking to them is allowed."""

import pytest
from fastapi.testclient import TestClient
from plan_store import BASE, SAMPLE, Token, graph_triples

from kgservice.store import Store

OWNER = "lao-sao-401014"
OTHER = "lao-pao-40"
OWNER_GRAPH = f"{BASE}graph/{OWNER}"
OTHER_GRAPH = f"{BASE}graph/{OTHER}"
PLAN = f"{BASE}plan/lao-sao-401014-2566-2570"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix tp: <https://w3id.org/thaiplan/ontology#> .
"""


def put(client: TestClient, token: str, body: str, graph: str, *, method: str = "PUT") -> object:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}
    return client.request(
        method, "/data", params={"graph": graph}, content=body.encode(), headers=headers
    )


def update(client: TestClient, token: str, text: str) -> object:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/sparql-update"}
    return client.post("/sparql", content=text.encode(), headers=headers)


@pytest.fixture
def owned(client: TestClient, token: Token) -> None:
    """The owner's plan is stored."""
    body = (SAMPLE / f"{OWNER}.ttl").read_text(encoding="utf-8")
    assert put(client, token(OWNER), body, OWNER_GRAPH).status_code == 201  # type: ignore[attr-defined]


def refused(response: object, subject: str, graph: str) -> None:
    assert response.status_code == 403, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"] == "forbidden"
    assert subject in body["subjects"]
    assert graph in body["graphs"]
    assert subject in body["message"]


@pytest.mark.usefixtures("owned")
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_comment_on_another_organisations_plan_is_refused(
    client: TestClient, store: Store, token: Token, method: str
) -> None:
    body = PREFIXES + f'<{PLAN}> rdfs:comment "แผนนี้ไม่ดี"@th .\n'
    refused(put(client, token(OTHER), body, OTHER_GRAPH, method=method), PLAN, OWNER_GRAPH)
    assert not graph_triples(store, OTHER_GRAPH)


@pytest.mark.usefixtures("owned")
def test_a_support_link_from_another_organisations_element_is_refused(
    client: TestClient, token: Token
) -> None:
    element = f"{PLAN}/strategy/1"
    target = f"{BASE}plan/provincial-40-2566-2570/strategy/1"
    body = PREFIXES + f"<{element}> tp:supports <{target}> .\n"
    refused(put(client, token(OTHER), body, OTHER_GRAPH), element, OWNER_GRAPH)


@pytest.mark.usefixtures("owned")
def test_minting_under_another_organisations_plan_is_refused(
    client: TestClient, token: Token
) -> None:
    minted = f"{PLAN}/project/999"
    body = PREFIXES + f'<{minted}> rdfs:label "โครงการแฝง"@th .\n'
    refused(put(client, token(OTHER), body, OTHER_GRAPH), minted, OWNER_GRAPH)


def test_describing_an_area_is_refused(client: TestClient, token: Token) -> None:
    area = f"{BASE}area/401014"
    body = PREFIXES + f'<{area}> rdfs:label "ตำบลของเรา"@th .\n'
    refused(put(client, token(OTHER), body, OTHER_GRAPH), area, f"{BASE}graph/areas")


@pytest.mark.usefixtures("owned")
def test_linking_to_another_organisations_plan_is_allowed(client: TestClient, token: Token) -> None:
    body = PREFIXES + f"<{BASE}org/{OTHER}> rdfs:seeAlso <{PLAN}> ; rdfs:comment [ a tp:Note ] .\n"
    response = put(client, token(OTHER), body, OTHER_GRAPH)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


@pytest.mark.usefixtures("owned")
@pytest.mark.parametrize(
    "text",
    [
        f"COPY <{OWNER_GRAPH}> TO <{OTHER_GRAPH}>",
        f"ADD <{OWNER_GRAPH}> TO <{OTHER_GRAPH}>",
        f"INSERT DATA {{ GRAPH <{OTHER_GRAPH}> {{ <{PLAN}> <{COMMENT}> 'x' }} }}",
        f"INSERT {{ GRAPH <{OTHER_GRAPH}> {{ ?s <{COMMENT}> 'x' }} }}"
        f" WHERE {{ GRAPH <{OWNER_GRAPH}> {{ ?s a ?type }} }}",
    ],
)
def test_updates_describing_another_organisations_resources_are_refused(
    client: TestClient, store: Store, token: Token, text: str
) -> None:
    response = update(client, token(OTHER), text)
    assert response.status_code == 403, response.text  # type: ignore[attr-defined]
    assert OWNER_GRAPH in response.json()["graphs"]  # type: ignore[attr-defined]
    assert not graph_triples(store, OTHER_GRAPH)


@pytest.mark.usefixtures("owned")
def test_an_administrator_may_describe_anything(client: TestClient, token: Token) -> None:
    body = PREFIXES + f'<{PLAN}> rdfs:comment "ตรวจแล้ว"@th .\n'
    response = put(client, token("operator", admin=True), body, f"{BASE}graph/review")
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


@pytest.mark.usefixtures("owned")
def test_the_owner_rewrites_its_own_plan(client: TestClient, token: Token) -> None:
    body = (SAMPLE / f"{OWNER}.ttl").read_text(encoding="utf-8")
    response = put(client, token(OWNER), body, OWNER_GRAPH)
    assert response.status_code == 204, response.text  # type: ignore[attr-defined]


def test_a_writer_describes_its_own_graph_though_the_service_records_it(
    client: TestClient, store: Store, token: Token
) -> None:
    # As a first start records where each bundled graph came from.
    bootstrap = f"{BASE}graph/bootstrap"
    store.update(f"INSERT DATA {{ GRAPH <{bootstrap}> {{ <{OWNER_GRAPH}> <{COMMENT}> 'x' }} }}")
    body = (SAMPLE / f"{OWNER}.ttl").read_text(encoding="utf-8")
    response = put(client, token(OWNER), body, OWNER_GRAPH)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


def test_each_sample_plan_describes_only_its_own_resources(
    client: TestClient, token: Token
) -> None:
    for path in sorted(SAMPLE.glob("lao-*.ttl")):
        body = path.read_text(encoding="utf-8")
        response = put(client, token(path.stem), body, f"{BASE}graph/{path.stem}")
        assert response.status_code == 201, (path.name, response.text)  # type: ignore[attr-defined]
