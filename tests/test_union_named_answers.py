"""Every named query answers the same when a local government's plan is held in a second graph
as well (bulk-loaded, then written by the local government): the default graph is the set
union of the named graphs, so a statement two graphs hold is one statement of the union.

A bag union answers otherwise: Oxigraph's own union default graph gives 201 rows of
``supporting-local-plans`` here instead of 12, each project of Hin Tang SAO's plan
(data/ttl/sample/lao-sao-401014.ttl) several times."""

import pyoxigraph as ox
import pytest
from queries_support import SETTINGS, B, bundled_store, rows

from kgservice.derived import upkeep
from kgservice.namespaces import graph_iri
from kgservice.query import named
from kgservice.settings import PROJECT_ROOT
from kgservice.store import Store

SAMPLE = PROJECT_ROOT / "data" / "ttl" / "sample" / "lao-sao-401014.ttl"
PLAN = f"{B}plan/lao-sao-401014-2566-2570/"
PARAMETERS = {
    "province": f"{B}area/40",
    "fiscalYear": "2567",
    "element": f"{PLAN}project/1",
    "strategy": f"{B}plan/provincial-40-2566-2570/strategy/1",
}
"""A value for every required parameter, each reaching the plan held twice."""


def answers(store: Store) -> dict[str, list[dict[str, str]]]:
    found = {}
    for name, query in named.catalogue(SETTINGS.queries_dir).items():
        params = {p.name: PARAMETERS[p.name] for p in query.parameters if p.required}
        found[name] = rows(store, name, **params)
    return found


@pytest.fixture(scope="module")
def once() -> dict[str, list[dict[str, str]]]:
    """The bundled data, where the plan is in its own graph only."""
    store = bundled_store()
    found = answers(store)
    store.close()
    return found


@pytest.fixture(scope="module")
def twice() -> dict[str, list[dict[str, str]]]:
    """The bundled data and the plan again, in a bulk-loaded graph."""
    store = bundled_store()
    bulk = graph_iri(B, "bulk-khon-kaen")
    store.load(SAMPLE.read_bytes(), format=ox.RdfFormat.TURTLE, graph=bulk)
    upkeep.refresh(store, SETTINGS, [bulk])
    found = answers(store)
    store.close()
    return found


def test_the_plan_reaches_the_answers(once: dict[str, list[dict[str, str]]]) -> None:
    """Not a comparison of empty answers: the plan's projects are in some of them, and Khon
    Kaen's budgets in FY 2567 hold its 800,000 baht."""
    reached = {name for name, found in once.items() if PLAN in repr(found)}
    assert {"linkage-chain", "supporting-local-plans"} <= reached
    assert sum(float(r["total"]) for r in once["budget-by-strategy"]) >= 800_000


@pytest.mark.parametrize("name", sorted(named.catalogue(SETTINGS.queries_dir)))
def test_a_plan_in_two_graphs_answers_as_in_one(
    name: str, once: dict[str, list[dict[str, str]]], twice: dict[str, list[dict[str, str]]]
) -> None:
    assert twice[name] == once[name]
