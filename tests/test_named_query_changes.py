"""An added submission changes the named queries' answers as it should.

The submission is ``queries_fixtures/lao-sao-400103.ttl`` (its header says what it holds), loaded
into its own graph and followed by an incremental refresh of the derived data, as a write does.
Every test runs twice: with the submission as written, and without its ``tp:jurisdiction``, the
way the contract allows a local government to give its area (only through its plan's
``tp:coversArea``); every answer must be the same.
"""

from decimal import Decimal

import pytest
from queries_support import (
    FIXTURES,
    SETTINGS,
    TP,
    B,
    bundled_store,
    column,
    load_file,
    rows,
)

from kgservice.derived import upkeep
from kgservice.store import Store

KK = B + "plan/provincial-40-2566-2570/strategy/"
NEW = B + "plan/lao-sao-400103-2566-2570/"
KHON_KAEN = B + "area/40"


@pytest.fixture(scope="module")
def before() -> Store:
    return bundled_store()


@pytest.fixture(scope="module", params=["as written", "area only from its plan"])
def after(request: pytest.FixtureRequest) -> Store:
    store = bundled_store()
    graph = load_file(store, FIXTURES / "lao-sao-400103.ttl")
    if request.param == "area only from its plan":
        jurisdiction = f"<{B}org/lao-sao-400103> <{TP}jurisdiction> <{B}area/400103>"
        store.update(f"DELETE DATA {{ GRAPH <{graph}> {{ {jurisdiction} }} }}")
    upkeep.refresh(store, SETTINGS, [graph])
    return store


def test_new_supporters_of_strategy_5_appear(before: Store, after: Store) -> None:
    assert rows(before, "supporting-local-plans", strategy=KK + "5") == []
    found = rows(after, "supporting-local-plans", strategy=KK + "5")
    assert set(column(found, "project")) == {NEW + "project/1", NEW + "project/2"}
    # kk:5 supports National Strategy 6, so the same projects now reach it.
    national = rows(
        after, "supporting-local-plans", strategy=B + "plan/national-strategy/strategy/6"
    )
    assert set(column(national, "project")) == {NEW + "project/1", NEW + "project/2"}


def test_strategy_5_is_no_longer_unsupported(before: Store, after: Store) -> None:
    assert column(rows(before, "unsupported-strategies", province=KHON_KAEN), "strategy") == [
        KK + "5"
    ]
    assert rows(after, "unsupported-strategies", province=KHON_KAEN) == []


def test_coverage_counts_the_new_local_government(after: Store) -> None:
    found = rows(after, "strategy-coverage", province=KHON_KAEN)
    assert [int(r["supportingLocalGovernments"]) for r in found] == [4, 6, 5, 3, 1]
    assert {int(r["localGovernments"]) for r in found} == {7}


def test_budget_rolls_up_to_the_provincial_and_national_strategy(after: Store) -> None:
    by_strategy = rows(after, "budget-by-strategy", province=KHON_KAEN, fiscalYear="2569")
    assert {(r["strategy"], r["kind"].removeprefix(TP)): Decimal(r["total"]) for r in by_strategy}[
        (KK + "5", "SubdistrictAdministrativeOrganization")
    ] == Decimal("200000")
    national = rows(after, "national-strategy-budget", fiscalYear="2569")
    assert [Decimal(r["total"]) for r in national][5] == Decimal("200000")


def test_the_unlinked_project_is_an_orphan(before: Store, after: Store) -> None:
    old = set(column(rows(before, "orphan-projects", province=KHON_KAEN), "project"))
    new = set(column(rows(after, "orphan-projects", province=KHON_KAEN), "project"))
    assert new - old == {NEW + "project/3"}


def test_the_copied_title_is_a_duplicate_candidate(after: Store) -> None:
    pairs = [(r["project"], r["twin"]) for r in rows(after, "duplicate-candidates")]
    assert (B + "plan/lao-pao-40-2566-2570/project/4", NEW + "project/2") in pairs
    assert len(pairs) == 2


def test_the_late_allocation_is_misaligned(after: Store) -> None:
    found = rows(after, "calendar-misalignment")
    assert {r.get("allocation") for r in found} >= {NEW + "project/3/budget/2571"}
    assert len(found) == 4


def test_the_indicator_without_target_is_listed(after: Store) -> None:
    found = rows(after, "indicators-without-targets")
    assert (NEW + "project/3/indicator/1", TP + "targetValue") in {
        (r["indicator"], r["missing"]) for r in found
    }
    assert len(found) == 4


def test_the_new_agreement_is_listed(after: Store) -> None:
    found = rows(after, "agreements-between-levels", organisation=B + "org/lao-sao-400103")
    assert {(r["party"], r["covers"]) for r in found} == {
        (B + "org/provincial-40", NEW + "project/1"),
        (B + "org/lao-sao-400103", NEW + "project/1"),
    }


def test_the_linkage_chain_of_a_new_project_reaches_the_national_level(after: Store) -> None:
    found = rows(after, "linkage-chain", element=NEW + "project/1")
    assert min(int(r["rank"]) for r in found) == 1
    assert (NEW + "strategy/1", TP + "supports", KK + "5") in {
        (r["from"], r["link"], r["step"]) for r in found
    }


def test_a_second_provincial_plan_over_khon_kaen_is_parallel(before: Store) -> None:
    store = bundled_store()
    upkeep.refresh(store, SETTINGS, [load_file(store, FIXTURES / "parallel-provincial.ttl")])
    new_pairs = {(r["plan"], r["otherPlan"]) for r in rows(store, "parallel-plans")} - {
        (r["plan"], r["otherPlan"]) for r in rows(before, "parallel-plans")
    }
    # Each pair once, the lower IRI first ("provincial-40-" < "provincial-administration-").
    assert new_pairs == {
        (B + "plan/provincial-40-2566-2570", B + "plan/provincial-administration-40-2568-2572")
    }
