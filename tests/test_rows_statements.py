"""The statements of a named query's rows by organisation (``queries/rows/``): bound to one value
of a ``rows-of`` variable, each gives exactly the rows of the whole answer that show that value,
the variables in the same order. Golden rows worked out by hand from data/ttl (see
test_named_query_answers.py), and an agreement's indicator that lost its target: a row of no
organisation, named by its subject."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from queries_support import SETTINGS, TP, B, CountingStore, bundled_quads, counted_client

from kgservice.auth import TokenFile
from kgservice.query import named
from kgservice.store import Store

PROVINCIAL = SETTINGS.bundled_data_dir / "sample" / "provincial-40.ttl"
AGREEMENT = B + "agreement/pa-provincial-40-2567"
TARGET = ox.NamedNode(TP + "targetValue")
INDICATORS = "/queries/indicators-without-targets"
RANKED = [name for name, q in named.catalogue(SETTINGS.queries_dir).items() if q.rows]
"""The named queries with a statement of their rows by organisation."""

Row = tuple[str | None, ...]


def org(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{B}org/{name}")


@pytest.fixture
def store(tmp_path: Path) -> CountingStore:
    store = CountingStore()
    store._store.bulk_extend(bundled_quads())
    return store


@pytest.fixture
def client(store: CountingStore, tmp_path: Path) -> TestClient:
    return counted_client(store, tmp_path)


def without_agreement_target(client: TestClient) -> None:
    """The provincial office's graph PUT again with its performance agreement's indicator
    stripped of its target value (rule R13 warns of projects' indicators only)."""
    triples = ox.parse(path=str(PROVINCIAL), format=ox.RdfFormat.TURTLE)
    body = ox.serialize(
        [t for t in triples if not (t.predicate == TARGET and AGREEMENT in t.subject.value)],
        format=ox.RdfFormat.N_TRIPLES,
    )
    tokens = TokenFile(client.app.state.settings.tokens_path)  # type: ignore[attr-defined]
    token = tokens.create(org("provincial-40").value, admin=False)[1]
    response = client.put(
        "/data",
        params={"graph": f"{B}graph/provincial-40"},
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"},
    )
    assert response.status_code in (200, 204), response.text


def answer(store: Store, query: named.NamedQuery, bindings: dict[str, ox.NamedNode]) -> list[Row]:
    result = store.query(query.text, bindings=bindings)
    assert isinstance(result, ox.QuerySolutions)
    return sorted(tuple(None if v is None else str(v) for v in row) for row in result)  # type: ignore[misc]


def variables(store: Store, query: named.NamedQuery, name: str) -> list[str]:
    result = store.query(query.text, bindings={name: org("nobody")})
    assert isinstance(result, ox.QuerySolutions)
    return [v.value for v in result.variables]


def values(store: Store, query: named.NamedQuery) -> set[ox.NamedNode]:
    """Every IRI the whole answer shows in its ``rows-of`` columns, and one it does not."""
    result = store.query(query.text)
    assert isinstance(result, ox.QuerySolutions)
    shown = {row[n] for row in result for n in query.rows_of if row[n] is not None}
    return {*shown, org("lao-mun-401001")}  # type: ignore[misc]


def assert_rows_are_the_answers(store: Store, name: str) -> None:
    query = named.find(name, SETTINGS.queries_dir)
    assert query.rows is not None
    whole = answer(store, query, {})
    columns = variables(store, query, query.rows_of[0])
    for variable in query.rows_of:
        assert variables(store, query.rows, variable) == columns
        at = columns.index(variable)
        for value in values(store, query):
            theirs = [row for row in whole if row[at] == str(value)]
            assert answer(store, query.rows, {variable: value}) == theirs, (variable, value)


@pytest.mark.parametrize("name", RANKED)
def test_the_rows_of_one_organisation_are_those_of_the_whole_answer(
    store: CountingStore, name: str
) -> None:
    assert_rows_are_the_answers(store, name)


@pytest.mark.parametrize("name", RANKED)
def test_so_they_are_with_a_row_of_no_organisation(
    client: TestClient, store: CountingStore, name: str
) -> None:
    without_agreement_target(client)
    assert_rows_are_the_answers(store, name)


def test_parallel_plans_of_one_owner(store: CountingStore) -> None:
    # The pair: the legacy PAO plan (owner lao-pao-40) before the provincial office's plan
    # (otherOwner provincial-40), by their IRIs.
    query = named.find("parallel-plans", SETTINGS.queries_dir).rows
    assert query is not None
    pair = (B + "plan/legacy-lao-pao-40-2564-2567", B + "plan/provincial-40-2566-2570")
    for variable, owner, found in (
        ("owner", "lao-pao-40", [pair]),
        ("otherOwner", "provincial-40", [pair]),
        ("owner", "provincial-40", []),
        ("otherOwner", "lao-pao-40", []),
    ):
        result = store.query(query.text, bindings={variable: org(owner)})
        rows = [(r["plan"].value, r["otherPlan"].value) for r in result]  # type: ignore[index]
        assert rows == found, (variable, owner)


def test_indicators_of_an_agreement_name_no_organisation(
    client: TestClient, store: CountingStore
) -> None:
    before = client.get(INDICATORS).json()["results"]["bindings"]
    without_agreement_target(client)
    after = client.get(INDICATORS).json()["results"]["bindings"]
    # The legacy plan's three rows stay; the agreement's indicator lacks its target, in a row
    # that names the agreement and no organisation.
    assert len(before) == 3
    added = [row for row in after if row not in before]
    assert [(r["subject"]["value"], r["missing"]["value"], "organisation" in r) for r in added] == [
        (AGREEMENT, TP + "targetValue", False)
    ]
    # computed again only in the rows of what the write reached, never whole
    whole = named.find("indicators-without-targets", SETTINGS.queries_dir).prepared.engine
    assert store.ran(whole) == 1
    assert (
        after
        == client.get(INDICATORS, headers={"Cache-Control": "no-cache"}).json()["results"][
            "bindings"
        ]
    )
