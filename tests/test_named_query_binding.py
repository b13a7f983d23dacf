"""Parameters bound by the service answer as pyoxigraph's own ``substitutions`` would: every named
query with parameters, asked of ``/queries/{name}`` with values drawn from the bundled data, gives
the rows that plain pyoxigraph gives for the query file with the same values substituted."""

import io
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from queries_support import B, bundled_store

from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store import Store
from kgservice.web.app import create_app

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
QUERIES = PROJECT_ROOT / "queries"
PROVINCES = [f"{B}area/{code}" for code in ("40", "41", "10", "99")]
ELEMENTS = [
    f"{B}plan/provincial-40-2566-2570/strategy/1",
    f"{B}plan/provincial-40-2566-2570/strategy/3",
    f"{B}plan/lao-mun-400101-2566-2570/project/10",
    f"{B}plan/national-strategy/strategy/1",
    f"{B}plan/nowhere",
]
ORGANISATIONS = [f"{B}org/provincial-40", f"{B}org/lao-mun-400101", f"{B}org/nobody"]
VALUES = {
    "province": st.sampled_from(PROVINCES),
    "strategy": st.sampled_from(ELEMENTS),
    "element": st.sampled_from(ELEMENTS),
    "organisation": st.sampled_from(ORGANISATIONS),
    "fiscalYear": st.integers(2564, 2572).map(str),
}
WITH_PARAMETERS = sorted(
    path.stem for path in QUERIES.glob("*.rq") if "#+ param:" in path.read_text("utf-8")
)


@pytest.fixture(scope="module")
def store() -> Store:
    return bundled_store()


@pytest.fixture(scope="module")
def plain(store: Store) -> ox.Store:
    """The same quads in pyoxigraph alone."""
    dump = io.BytesIO()
    store.dump(dump, format=ox.RdfFormat.N_QUADS)
    copy = ox.Store()
    copy.load(dump.getvalue(), format=ox.RdfFormat.N_QUADS)
    return copy


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(memory=True, load_bundled_data=False), store=store)) as c:
        yield c


def parameters(client: TestClient) -> dict[str, list[dict[str, object]]]:
    return {q["name"]: q["parameters"] for q in client.get("/queries").json()}


def term(name: str, value: str) -> ox.NamedNode | ox.Literal:
    return ox.Literal(value, datatype=XSD_INTEGER) if name == "fiscalYear" else ox.NamedNode(value)


def rows(solutions: ox.QuerySolutions) -> list[str]:
    names = [v.value for v in solutions.variables]
    return sorted(repr(tuple(solution[n] for n in names)) for solution in solutions)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(WITH_PARAMETERS), data=st.data())
def test_bound_parameters_answer_as_substitutions_do(
    client: TestClient, plain: ox.Store, name: str, data: st.DataObject
) -> None:
    params = {
        str(p["name"]): data.draw(VALUES[str(p["name"])])
        for p in parameters(client)[name]
        if p["required"] or data.draw(st.booleans())
    }
    response = client.get(
        f"/queries/{name}",
        params=params,
        headers={"Accept": "application/sparql-results+json", "Cache-Control": "no-cache"},
    )
    assert response.status_code == 200, response.text
    here = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    text = (QUERIES / f"{name}.rq").read_text("utf-8")
    substitutions = {ox.Variable(k): term(k, v) for k, v in params.items()}
    there = plain.query(text, substitutions=substitutions, use_default_graph_as_union=True)
    assert isinstance(here, ox.QuerySolutions) and isinstance(there, ox.QuerySolutions)
    assert rows(here) == rows(there)
