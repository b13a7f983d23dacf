"""Every named query answers the same when a local government's plan is held in a second graph
as well (bulk-loaded, then written by the local government): the default graph is the set
union of the named graphs, so a statement two graphs hold is one statement of the union.

On every engine. A bag union answers otherwise: Oxigraph's own union default graph gives 201
rows of ``supporting-local-plans`` here instead of 12, each project of Hin Tang SAO's plan
(data/ttl/sample/lao-sao-401014.ttl) several times, and so did Virtuoso's own default graph."""

from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest
from engines import REMOTE_ENGINES, emptied, remote_settings
from queries_support import SETTINGS, B, bundled_store, rows

from kgservice.bootstrap import bootstrap
from kgservice.derived import upkeep
from kgservice.namespaces import graph_iri
from kgservice.query import named
from kgservice.settings import PROJECT_ROOT
from kgservice.store import Store, open_store

SAMPLE = PROJECT_ROOT / "data" / "ttl" / "sample" / "lao-sao-401014.ttl"
PLAN = f"{B}plan/lao-sao-401014-2566-2570/"
PARAMETERS = {
    "province": f"{B}area/40",
    "fiscalYear": "2567",
    "element": f"{PLAN}project/1",
    "strategy": f"{B}plan/provincial-40-2566-2570/strategy/1",
}
"""A value for every required parameter, each reaching the plan held twice."""
Answers = dict[str, list[dict[str, str]]]


def answers(store: Store) -> Answers:
    found = {}
    for name, query in named.catalogue(SETTINGS.queries_dir).items():
        params = {p.name: PARAMETERS[p.name] for p in query.parameters if p.required}
        found[name] = rows(store, name, **params)
    return found


@pytest.fixture(scope="module")
def answered(
    engine_url: Callable[[str], str],
) -> Iterator[Callable[[str], tuple[Answers, Answers]]]:
    """``answered(engine)`` -> every named query's answers on the bundled data, where the plan
    is in its own graph only, and after loading it again into a bulk-loaded graph."""
    found: dict[str, tuple[Answers, Answers]] = {}

    def answer(engine: str) -> tuple[Answers, Answers]:
        if engine not in found:
            store = bundled_store() if engine == "embedded" else _remote(engine, engine_url)
            once = answers(store)
            bulk = graph_iri(B, "bulk-khon-kaen")
            store.load(SAMPLE.read_bytes(), format=ox.RdfFormat.TURTLE, graph=bulk)
            upkeep.refresh(store, SETTINGS, [bulk])
            found[engine] = once, answers(store)
            store.close()
        return found[engine]

    yield answer


def _remote(engine: str, engine_url: Callable[[str], str]) -> Store:
    store = open_store(emptied(remote_settings(engine, engine_url(engine))))
    bootstrap(store, SETTINGS.model_copy(update={"store": "remote"}))
    return store


@pytest.fixture(params=["embedded", *REMOTE_ENGINES])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_plan_reaches_the_answers(
    answered: Callable[[str], tuple[Answers, Answers]], engine: str
) -> None:
    """Not a comparison of empty answers: the plan's projects are in some of them, and Khon
    Kaen's budgets in FY 2567 hold its 800,000 baht."""
    once, _ = answered(engine)
    reached = {name for name, found in once.items() if PLAN in repr(found)}
    assert {"linkage-chain", "supporting-local-plans"} <= reached
    assert sum(float(r["total"]) for r in once["budget-by-strategy"]) >= 800_000


@pytest.mark.parametrize("name", sorted(named.catalogue(SETTINGS.queries_dir)))
def test_a_plan_in_two_graphs_answers_as_in_one(
    name: str, answered: Callable[[str], tuple[Answers, Answers]], engine: str
) -> None:
    once, twice = answered(engine)
    assert twice[name] == once[name]
