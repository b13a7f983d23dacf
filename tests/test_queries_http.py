"""The named queries over HTTP: the list, running one in each result format, errors, OpenAPI."""

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from queries_support import B, bundled_store, rows

from kgservice.settings import Settings
from kgservice.web.app import create_app

KK = B + "plan/provincial-40-2566-2570/strategy/"
CONTRACT_NAMES = {
    "supporting-local-plans",
    "linkage-chain",
    "orphan-projects",
    "unsupported-strategies",
    "strategy-coverage",
    "budget-by-strategy",
    "national-strategy-budget",
    "duplicate-candidates",
    "calendar-misalignment",
    "agreements-between-levels",
    "indicators-without-targets",
    "parallel-plans",
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    settings = Settings(memory=True, load_bundled_data=False)
    return TestClient(create_app(settings, store=bundled_store()))


def test_the_list_names_every_query_with_summaries_and_parameters(client: TestClient) -> None:
    listed = {q["name"]: q for q in client.get("/queries").json()}
    assert set(listed) == CONTRACT_NAMES
    assert all(q["summary"]["th"] and q["summary"]["en"] for q in listed.values())
    assert listed["budget-by-strategy"]["parameters"] == [
        {
            "name": "province",
            "type": "iri",
            "required": True,
            "description": "the province (an area IRI such as .../area/40)",
        },
        {
            "name": "fiscalYear",
            "type": "integer",
            "required": True,
            "description": "the fiscal year in the Buddhist Era, e.g. 2567",
        },
    ]


def test_running_a_query_answers_sparql_json_by_default(client: TestClient) -> None:
    response = client.get("/queries/unsupported-strategies", params={"province": B + "area/40"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    bindings = response.json()["results"]["bindings"]
    assert [b["strategy"]["value"] for b in bindings] == [KK + "5"]
    assert bindings[0]["strategyLabel"]["xml:lang"] == "th"


def test_accept_header_and_format_parameter_choose_csv_and_tsv(client: TestClient) -> None:
    params = {"province": B + "area/40"}
    as_csv = client.get(
        "/queries/unsupported-strategies", params=params, headers={"Accept": "text/csv"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["strategy"] for row in table] == [KK + "5"]
    as_tsv = client.get("/queries/unsupported-strategies", params={**params, "format": "tsv"})
    assert as_tsv.text.splitlines()[0].split("\t")[:2] == ["?province", "?provinceLabel"]


def test_an_unacceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/queries/parallel-plans", headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"province": "area/40", "fiscalYear": "2569"}, "province"),
        ({"province": B + "area/40", "fiscalYear": "๒๕๖๙x"}, "fiscalYear"),
        ({"province": B + "area/40"}, "fiscalYear"),
        ({"province": B + "area/40", "fiscalYear": "2569", "year": "1"}, "year"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(
    client: TestClient, params: dict[str, str], parameter: str
) -> None:
    response = client.get("/queries/budget-by-strategy", params=params)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["message"]


def test_an_unknown_query_is_404(client: TestClient) -> None:
    response = client.get("/queries/no-such-question")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_an_optional_parameter_may_be_left_out(client: TestClient) -> None:
    response = client.get("/queries/orphan-projects")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 3


def test_openapi_lists_each_query_with_its_parameters(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {f"/queries/{name}" for name in CONTRACT_NAMES} <= set(paths)
    strategy = paths["/queries/supporting-local-plans"]["get"]["parameters"][0]
    assert strategy["name"] == "strategy"
    assert strategy["required"] is True
    assert strategy["schema"] == {"type": "string", "format": "uri"}
    year = paths["/queries/budget-by-strategy"]["get"]["parameters"][1]
    assert (year["name"], year["schema"]["type"]) == ("fiscalYear", "integer")
    orphan = paths["/queries/orphan-projects"]["get"]["parameters"][0]
    assert (orphan["name"], orphan["required"]) == ("province", False)


EVERY_QUERY = [
    ("supporting-local-plans", {"strategy": B + "plan/national-strategy/strategy/5"}),
    ("linkage-chain", {"element": B + "plan/lao-mun-400101-2566-2570/project/10"}),
    ("orphan-projects", {}),
    ("unsupported-strategies", {"province": B + "area/40"}),
    ("strategy-coverage", {"province": B + "area/40"}),
    ("budget-by-strategy", {"province": B + "area/40", "fiscalYear": "2569"}),
    ("national-strategy-budget", {"fiscalYear": "2569"}),
    ("duplicate-candidates", {}),
    ("calendar-misalignment", {}),
    ("agreements-between-levels", {}),
    ("indicators-without-targets", {}),
    ("parallel-plans", {}),
]


@pytest.mark.parametrize(("name", "params"), EVERY_QUERY, ids=[q for q, _ in EVERY_QUERY])
def test_the_service_orders_rows_as_the_query_file_does(
    client: TestClient, name: str, params: dict[str, str]
) -> None:
    """The service sorts the rows itself (``kgservice.query.ordering``); they come back in the
    order the engine gives them for the query file as written, ORDER BY and all."""
    response = client.get(f"/queries/{name}", params=params)
    served = [
        {k: v["value"] for k, v in binding.items()}
        for binding in response.json()["results"]["bindings"]
    ]
    assert served
    assert served == rows(bundled_store(), name, **params)


def test_a_named_ask_is_never_written_as_csv_or_tsv_as_on_sparql(tmp_path: Path) -> None:
    (tmp_path / "any.rq").write_text("#+ summary: any triple\nASK { ?s ?p ?o }\n", "utf-8")
    settings = Settings(memory=True, load_bundled_data=False, queries_dir=tmp_path)
    client = TestClient(create_app(settings))
    sparql = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=CSV)
    named = client.get("/queries/any", headers=CSV)
    assert (sparql.status_code, named.status_code) == (406, 406)
    assert named.json()["error"] == "not_acceptable"
    assert client.get("/queries/any", params={"format": "tsv"}).status_code == 406
    fallback = client.get("/queries/any", headers={"Accept": "text/csv, */*;q=0.1"})
    assert fallback.json() == {"head": {}, "boolean": False}


CSV = {"Accept": "text/csv"}
