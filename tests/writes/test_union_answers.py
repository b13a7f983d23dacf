"""A plan held in two graphs (bulk-loaded, then written by its local government) counts once in
every answer: in /sparql, the named queries and the derived roll-ups. It stays while one graph
holds it and leaves with the last.

Hin Tang SAO's plan (data/ttl/sample/lao-sao-401014.ttl), worked out by hand, in FY 2567:
Khon Kaen's strategy 1 gets 250,000 baht (projects 4 and 5, through the SAO's strategy 2),
strategy 2 gets 500,000 (project 1, through strategy 1), strategy 4 gets 50,000 (project 6,
through programme 3): 800,000 in all. Project 9, added here, is part of strategy 3, which
supports nothing: an orphan."""

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from engines import REMOTE_ENGINES
from fastapi.testclient import TestClient
from plan_store import BASE, SAMPLE, Token

from kgservice.derived import upkeep
from kgservice.settings import Settings
from kgservice.store import Store

TP = "https://w3id.org/thaiplan/ontology#"
PLAN = f"{BASE}plan/lao-sao-401014-2566-2570/"
KK = f"{BASE}plan/provincial-40-2566-2570/strategy/"
BULK, OWN = f"{BASE}graph/bulk-khon-kaen", f"{BASE}graph/lao-sao-401014"
ORPHAN = """
<project/9> a tp:Project ;
    rdfs:label "โครงการที่ไม่สนับสนุนแผนใด"@th ;
    tp:partOf <strategy/3> ;
    tp:budget <project/9/budget/2567> .
<project/9/budget/2567> a tp:BudgetAllocation ; tp:amount 10000.00 ; tp:fiscalYear 2567 .
"""
BUDGET_2567 = {KK + "1": 250_000, KK + "2": 500_000, KK + "4": 50_000}


@pytest.fixture(params=["embedded", *REMOTE_ENGINES])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def twice(settings: Settings, store: Store, client: TestClient) -> Iterator[TestClient]:
    """The plan (with an orphan project) loaded into two graphs, as ``kgservice load`` does."""
    plan = (SAMPLE / "lao-sao-401014.ttl").read_bytes() + ORPHAN.encode()
    for graph in (BULK, OWN):
        store.load(plan, format=ox.RdfFormat.TURTLE, graph=graph)
    upkeep.refresh(store, settings, [BULK, OWN])
    yield client


def rows(client: TestClient, path: str, **params: object) -> list[dict[str, str]]:
    response = client.get(path, params=params, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in bindings]


def budget_by_strategy(client: TestClient) -> dict[str, int]:
    found = rows(client, "/queries/budget-by-strategy", province=f"{BASE}area/40", fiscalYear=2567)
    assert len({row["strategy"] for row in found}) == len(found)  # one kind of local government
    return {row["strategy"]: int(float(row["total"])) for row in found}


ALLOCATIONS = "?allocation tp:fiscalYear 2567 ; tp:amount ?amount"


def sparql_total(client: TestClient) -> tuple[int, int]:
    query = f"""PREFIX tp: <{TP}>
    SELECT (COUNT(*) AS ?n) (SUM(?amount) AS ?total) WHERE {{ {ALLOCATIONS} }}"""
    (row,) = rows(client, "/sparql", query=query)
    return int(row["n"]), int(float(row.get("total", 0)))  # Virtuoso: no SUM of no rows


def supporters(client: TestClient) -> list[str]:
    found = rows(client, "/queries/supporting-local-plans", strategy=KK + "1")
    return sorted(row["project"].removeprefix(PLAN) for row in found)


def orphans(client: TestClient) -> list[str]:
    found = rows(client, "/queries/orphan-projects", province=f"{BASE}area/40")
    return sorted(row["project"].removeprefix(PLAN) for row in found)


def rollup(client: TestClient) -> list[tuple[str, str]]:
    """Khon Kaen's derived budget roll-up for its strategy 2 in FY 2567."""
    query = f"""PREFIX tp: <{TP}>
    SELECT ?amount ?organisations WHERE {{ GRAPH <{BASE}graph/derived> {{
      ?rollup tp:rollupProvince <{BASE}area/40> ; tp:rollupTarget <{KK}2> ;
        tp:rollupFiscalYear 2567 ; tp:rollupAmount ?amount ; tp:budgetOrganisations ?organisations
    }} }}"""
    return [
        (str(int(float(r["amount"]))), r["organisations"])
        for r in rows(client, "/sparql", query=query)
    ]


def assert_counted_once(client: TestClient) -> None:
    assert rollup(client) == [("500000", "1")]
    assert sparql_total(client) == (5, 810_000)  # with the orphan's 10,000
    assert budget_by_strategy(client) == BUDGET_2567
    assert supporters(client) == ["project/2", "project/4", "project/5"]
    assert orphans(client) == ["project/9"]


def test_a_plan_in_two_graphs_counts_once(twice: TestClient) -> None:
    """A bag union (Virtuoso's own default graph) gives each allocation's two statements twice
    each: 20 solutions and 3,240,000 baht."""
    assert_counted_once(twice)


def delete(client: TestClient, token: Token, graph: str) -> None:
    headers = {"Authorization": f"Bearer {token('operator', admin=True)}"}
    response = client.delete("/data", params={"graph": graph}, headers=headers)
    assert response.status_code == 204, response.text


def test_it_stays_while_one_graph_holds_it_and_leaves_with_the_last(
    twice: TestClient, token: Token
) -> None:
    delete(twice, token, BULK)
    assert_counted_once(twice)
    delete(twice, token, OWN)
    assert sparql_total(twice) == (0, 0)
    assert budget_by_strategy(twice) == {}
    assert supporters(twice) == []
    assert orphans(twice) == []
    assert rollup(twice) == []


def test_the_local_government_writing_its_bulk_loaded_plan_adds_nothing(
    settings: Settings, store: Store, client: TestClient, token: Token
) -> None:
    store.load((SAMPLE / "lao-sao-401014.ttl").read_bytes(), format=ox.RdfFormat.TURTLE, graph=BULK)
    upkeep.refresh(store, settings, [BULK])
    assert budget_by_strategy(client) == BUDGET_2567
    headers = {
        "Authorization": f"Bearer {token('operator', admin=True)}",
        "Content-Type": "text/turtle",
    }
    body = (SAMPLE / "lao-sao-401014.ttl").read_bytes()
    response = client.put("/data", params={"graph": OWN}, content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert rollup(client) == [("500000", "1")]
    assert sparql_total(client) == (4, 800_000)
    assert budget_by_strategy(client) == BUDGET_2567


@pytest.fixture
def valid_twice(settings: Settings, store: Store, client: TestClient) -> Iterator[TestClient]:
    """The plan as it is (it passes validation, so either graph may be written) in two graphs."""
    plan = (SAMPLE / "lao-sao-401014.ttl").read_bytes()
    for graph in (BULK, OWN):
        store.load(plan, format=ox.RdfFormat.TURTLE, graph=graph)
    upkeep.refresh(store, settings, [BULK, OWN])
    yield client


def delete_project_1(client: TestClient, token: Token, graph: str) -> None:
    """Project 1's statements (its links, its 500,000 baht in FY 2567 and its indicator), which
    bring Khon Kaen's strategy 2 all its budget through programme 1 and strategy 1."""
    headers = {
        "Authorization": f"Bearer {token('operator', admin=True)}",
        "Content-Type": "application/sparql-update",
    }
    update = f"""DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o
      FILTER(REGEX(STR(?s), "^{PLAN}project/1(/|$)")) }} }}"""
    response = client.post("/sparql", content=update.encode(), headers=headers)
    assert response.status_code in (200, 204), response.text


@pytest.mark.parametrize("first, second", [(BULK, OWN), (OWN, BULK)])
def test_statements_deleted_from_one_of_their_two_graphs_stay_until_the_other_loses_them(
    valid_twice: TestClient, token: Token, first: str, second: str
) -> None:
    """Allocations: projects 1 (500,000), 4 and 5 (250,000) and 6 (50,000). A bag union
    counts each of an allocation's two statements once per graph that holds it: four
    solutions for an allocation in both graphs (13 and 1,700,000 baht after the first
    deletion), one for project 1's left in one."""
    delete_project_1(valid_twice, token, first)
    assert rollup(valid_twice) == [("500000", "1")]
    assert sparql_total(valid_twice) == (4, 800_000)
    assert supporters(valid_twice) == ["project/2", "project/4", "project/5"]
    assert budget_by_strategy(valid_twice) == BUDGET_2567
    delete_project_1(valid_twice, token, second)
    assert rollup(valid_twice) == []  # project 1 was strategy 2's only project
    assert sparql_total(valid_twice) == (3, 300_000)
    assert supporters(valid_twice) == ["project/2", "project/4", "project/5"]
    assert budget_by_strategy(valid_twice) == {KK + "1": 250_000, KK + "4": 50_000}


@pytest.mark.parametrize("engine", ["virtuoso"])
def test_the_graph_that_holds_virtuosos_union_is_not_written_from_outside(
    twice: TestClient, token: Token, engine: str
) -> None:
    """Not even by an administrator: a PUT would replace the union with its body."""
    headers = {
        "Authorization": f"Bearer {token('operator', admin=True)}",
        "Content-Type": "text/turtle",
    }
    copy = {"graph": "urn:kgservice:union"}
    response = twice.put("/data", params=copy, content=b"<a:b> <a:c> 1 .", headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "forbidden"
    assert_counted_once(twice)
