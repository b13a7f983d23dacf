"""Golden answers of the named queries on the bundled data, worked out by hand from data/ttl.

Khon Kaen (area/40): the provincial plan provincial-40-2566-2570 ("kk" below) has strategies 1-5,
supporting National Strategy (ns) 2, 2, 4, 5, 6 and NESDP-13 milestones 1, 8, 9, 10, 13. Six local
governments have sample plans: the PAO (lao-pao-40), two municipalities (lao-mun-400101,
lao-mun-401001) and three SAOs (lao-sao-400102, lao-sao-400111, lao-sao-401014);
legacy-imports.ttl adds an old plan of lao-sao-400102 and a parallel provincial-level PAO plan.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from engines import REMOTE_ENGINES, emptied, remote_settings
from queries_support import SETTINGS, TP, B, bundled_store, column, rows

from kgservice.bootstrap import bootstrap
from kgservice.store import Store, open_store

KK = B + "plan/provincial-40-2566-2570/strategy/"
NS = B + "plan/national-strategy/strategy/"
KHON_KAEN = B + "area/40"


def project(org: str, n: int) -> str:
    return f"{B}plan/{org}-2566-2570/project/{n}"


def legacy(n: int) -> str:
    return f"{B}plan/legacy-lao-sao-400102-2561-2565/project/{n}"


@pytest.fixture(scope="module")
def loaded(engine_url: Callable[[str], str]) -> Iterator[Callable[[str], Store]]:
    """``loaded(engine)`` -> a store of that engine holding the bundled data, loaded once."""
    stores: dict[str, Store] = {}

    def load(engine: str) -> Store:
        if engine not in stores:
            stores[engine] = _bundled(engine, engine_url)
        return stores[engine]

    yield load


def _bundled(engine: str, engine_url: Callable[[str], str]) -> Store:
    if engine == "embedded":
        return bundled_store()
    remote = open_store(emptied(remote_settings(engine, engine_url(engine))))
    bootstrap(remote, SETTINGS.model_copy(update={"store": "remote"}))
    return remote


@pytest.fixture(params=["embedded", *REMOTE_ENGINES])
def store(request: pytest.FixtureRequest, loaded: Callable[[str], Store]) -> Store:
    """The bundled data, as the service loads it, in each backend."""
    return loaded(request.param)


# kk:4 is supported by lao-mun-400101 strategy/3 (projects 10-13), lao-mun-401001 strategy/3
# (projects 8-10) and lao-sao-401014 programme/3, itself under a strategy that supports nothing
# (projects 6-8). No other local element supports kk:4.
KK4_SUPPORTERS = (
    {("lao-mun-400101", project("lao-mun-400101", n)) for n in (10, 11, 12, 13)}
    | {("lao-mun-401001", project("lao-mun-401001", n)) for n in (8, 9, 10)}
    | {("lao-sao-401014", project("lao-sao-401014", n)) for n in (6, 7, 8)}
)


def test_supporting_local_plans_of_a_provincial_strategy(store: Store) -> None:
    found = rows(store, "supporting-local-plans", strategy=KK + "4")
    assert {(r["organisation"].removeprefix(B + "org/"), r["project"]) for r in found} == (
        KK4_SUPPORTERS
    )
    assert all(r["planLabel"].startswith("แผนพัฒนาท้องถิ่น") for r in found)
    assert {r["organisationLabel"] for r in found} == {
        "เทศบาลนครขอนแก่น",
        "เทศบาลเมืองบ้านไผ่",
        "องค์การบริหารส่วนตำบลหินตั้ง",
    }


def test_supporting_local_plans_follows_chains_up_to_the_national_strategy(store: Store) -> None:
    # ns:5 is supported only by kk:4, so the same ten local projects reach it through kk:4.
    found = rows(store, "supporting-local-plans", strategy=NS + "5")
    assert {(r["organisation"].removeprefix(B + "org/"), r["project"]) for r in found} == (
        KK4_SUPPORTERS
    )


def test_linkage_chain_from_a_local_project_to_the_national_level(store: Store) -> None:
    # lao-sao-401014 project/2 is part of programme/1 (in strategy/1, which supports kk:2) and
    # itself supports kk:1; kk:1 supports ns:2 and milestone 1, kk:2 ns:2 and milestone 8.
    plan = f"{B}plan/lao-sao-401014-2566-2570"
    kk_plan = B + "plan/provincial-40-2566-2570"
    ms = B + "plan/nesdp-13/milestone/"
    start = plan + "/project/2"
    found = rows(store, "linkage-chain", element=start)
    steps = {(r["from"], r["link"].removeprefix(TP), r["step"], int(r["rank"])) for r in found}
    assert steps == {
        (start, "partOf", plan + "/programme/1", 5),
        (start, "supports", KK + "1", 3),
        (plan + "/programme/1", "partOf", plan + "/strategy/1", 5),
        (plan + "/strategy/1", "partOf", plan, 5),
        (plan + "/strategy/1", "supports", KK + "2", 3),
        (KK + "1", "partOf", kk_plan, 3),
        (KK + "1", "supports", NS + "2", 1),
        (KK + "1", "supports", ms + "1", 1),
        (KK + "2", "partOf", kk_plan, 3),
        (KK + "2", "supports", NS + "2", 1),
        (KK + "2", "supports", ms + "8", 1),
        (NS + "2", "partOf", B + "plan/national-strategy", 1),
        (ms + "1", "partOf", B + "plan/nesdp-13", 1),
        (ms + "8", "partOf", B + "plan/nesdp-13", 1),
    }
    assert len(found) == len(steps)
    assert [int(r) for r in column(found, "rank")] == sorted(
        (int(r) for r in column(found, "rank")), reverse=True
    )
    assert {r["levelLabel"] for r in found} == {"ระดับท้องถิ่น", "ระดับจังหวัด", "ระดับชาติ"}


def test_orphan_projects_are_the_legacy_projects_linked_to_nothing(store: Store) -> None:
    # legacy strategy/2 supports nothing (projects 4 and 5 under its programme) and project/6 is
    # directly under the plan; legacy projects 1-3 reach kk:2 through strategy/1. Every sample
    # project reaches a kk strategy. The lecture example has no projects.
    expected = {legacy(4), legacy(5), legacy(6)}
    assert set(column(rows(store, "orphan-projects", province=KHON_KAEN), "project")) == expected
    assert set(column(rows(store, "orphan-projects"), "project")) == expected
    assert rows(store, "orphan-projects", province=B + "area/41") == []


def test_unsupported_strategies_of_khon_kaen(store: Store) -> None:
    # kk:1-4 each have local supporters (see the coverage test); kk:5 has none, on purpose.
    found = rows(store, "unsupported-strategies", province=KHON_KAEN)
    assert column(found, "strategy") == [KK + "5"]
    assert found[0]["provinceLabel"] == "ขอนแก่น"


def test_unsupported_strategies_of_the_lecture_province(store: Store) -> None:
    # Udon Thani (41): ps:1 is supported by the municipality's programme and ps:3 by the PAO's
    # (both local plans); ps:2 and ps:4 only by provincial agencies' plans at district level.
    ps = B + "plan/lecture-provincial-41/strategy/"
    found = rows(store, "unsupported-strategies", province=B + "area/41")
    assert column(found, "strategy") == [ps + "2", ps + "4"]


def test_strategy_coverage_of_khon_kaen(store: Store) -> None:
    # Six local governments in Khon Kaen. kk:1: PAO (strategy/3), SAOs 400102, 400111, 401014;
    # kk:2: all six; kk:3: PAO, both municipalities, SAOs 400102 and 400111; kk:4: both
    # municipalities and SAO 401014; kk:5: none.
    found = rows(store, "strategy-coverage", province=KHON_KAEN)
    assert [(r["strategy"], int(r["supportingLocalGovernments"])) for r in found] == [
        (KK + "1", 4),
        (KK + "2", 6),
        (KK + "3", 5),
        (KK + "4", 3),
        (KK + "5", 0),
    ]
    assert {int(r["localGovernments"]) for r in found} == {6}
    assert [round(Decimal(r["share"]), 3) for r in found] == [
        Decimal("0.667"),
        Decimal("1.000"),
        Decimal("0.833"),
        Decimal("0.500"),
        Decimal("0.000"),
    ]


def test_budget_by_strategy_for_fiscal_year_2569(store: Store) -> None:
    # FY2569 allocations in Khon Kaen: PAO project/8 4,200,000 (strategy/2 -> kk:3);
    # lao-mun-400101 project/4 20,000,000 (-> kk:2), projects 10 and 13 12,000,000 + 3,500,000
    # (-> kk:4); lao-mun-401001 project/3 900,000 (-> kk:2); lao-sao-400111 project/1 300,000
    # (-> kk:2). Nothing else falls in 2569.
    found = rows(store, "budget-by-strategy", province=KHON_KAEN, fiscalYear="2569")
    kinds = {(r["strategy"], r["kind"].removeprefix(TP)): Decimal(r["total"]) for r in found}
    assert kinds == {
        (KK + "2", "Municipality"): Decimal("20900000"),
        (KK + "2", "SubdistrictAdministrativeOrganization"): Decimal("300000"),
        (KK + "3", "ProvincialAdministrativeOrganization"): Decimal("4200000"),
        (KK + "4", "Municipality"): Decimal("15500000"),
    }
    assert {r["kindLabel"] for r in found} >= {"เทศบาล"}


def test_national_strategy_budget_for_fiscal_year_2569(store: Store) -> None:
    # kk:2 -> ns:2 (21,200,000 from the three FY2569 projects above), kk:3 -> ns:4 (4,200,000),
    # kk:4 -> ns:5 (15,500,000). No FY2569 project reaches kk:1 or kk:5; ns:1 and ns:3 are
    # supported by no provincial strategy.
    found = rows(store, "national-strategy-budget", fiscalYear="2569")
    assert [(r["strategy"], Decimal(r["total"]), int(r["localGovernments"])) for r in found] == [
        (NS + "1", Decimal(0), 0),
        (NS + "2", Decimal("21200000"), 3),
        (NS + "3", Decimal(0), 0),
        (NS + "4", Decimal("4200000"), 1),
        (NS + "5", Decimal("15500000"), 1),
        (NS + "6", Decimal(0), 0),
    ]
    assert found[0]["strategyLabel"] == "ยุทธศาสตร์ชาติด้านความมั่นคง"


def test_duplicate_candidates_of_khon_kaen(store: Store) -> None:
    # PAO project/1 "โครงการก่อสร้างถนน คสล. หมู่ ๓ ตำบลสำราญ" (province 40, FY2567) and SAO 400102
    # project/1 "ก่อสร้างถนน คสล.หมู่ 3 ตำบลสำราญ" (subdistrict 400102, FY2567) normalise alike.
    # Not candidates: PAO project/5 and SAO 400111 project/1 (same title, FY2566 vs FY2569);
    # the two "บุญบั้งไฟ" festivals of SAOs 400111 and 401014 (districts 4001 and 4010, not nested).
    found = rows(store, "duplicate-candidates", province=KHON_KAEN)
    assert [(r["project"], r["twin"]) for r in found] == [
        (project("lao-pao-40", 1), project("lao-sao-400102", 1))
    ]
    assert found[0]["normalisedTitle"] == "ก่อสร้างถนนคสลหมู่3ตำบลสำราญ"
    assert found[0]["twinOrganisationLabel"] == "องค์การบริหารส่วนตำบลสำราญ"


def test_calendar_misalignment(store: Store) -> None:
    # The legacy plan runs 2561-2565: project/2 has FY2566, project/3 FY2022 (a CE year), and the
    # plan supports kk (2566-2570) through strategy/1. All other plans overlap what they support.
    found = rows(store, "calendar-misalignment")
    assert Counter((r["problem"], r.get("element"), r.get("supportedPlan")) for r in found) == {
        ("allocation-outside-plan-period", legacy(2), None): 1,
        ("allocation-outside-plan-period", legacy(3), None): 1,
        ("plan-period-disjoint", None, B + "plan/provincial-40-2566-2570"): 1,
    }


def test_agreements_between_levels(store: Store) -> None:
    # pa-provincial-40-2567: parties dopa (central) and provincial-40 (regional), covers kk:3, one
    # indicator: 2 rows. psa-lao-mun-400101-2567: parties provincial-40 and lao-mun-400101 (local),
    # covers the municipality's project/10 and kk:4, two indicators: 2 x 2 x 2 = 8 rows.
    found = rows(store, "agreements-between-levels")
    assert Counter(r["agreement"].removeprefix(B + "agreement/") for r in found) == {
        "pa-provincial-40-2567": 2,
        "psa-lao-mun-400101-2567": 8,
    }
    tiers = {(r["party"].removeprefix(B + "org/"), r["tier"].removeprefix(TP)) for r in found}
    assert tiers == {
        ("dopa", "CentralTier"),
        ("provincial-40", "RegionalTier"),
        ("lao-mun-400101", "LocalTier"),
    }


def test_agreements_of_one_organisation_list_all_their_parties(store: Store) -> None:
    found = rows(store, "agreements-between-levels", organisation=B + "org/lao-mun-400101")
    assert {r["agreement"] for r in found} == {B + "agreement/psa-lao-mun-400101-2567"}
    assert {r["party"] for r in found} == {B + "org/provincial-40", B + "org/lao-mun-400101"}
    assert {r["covers"] for r in found} == {project("lao-mun-400101", 10), KK + "4"}


def test_indicators_without_targets(store: Store) -> None:
    # Legacy project/4's indicator has a target but no unit; project/5's has neither.
    found = rows(store, "indicators-without-targets")
    assert {(r["indicator"], r["missing"].removeprefix(TP)) for r in found} == {
        (legacy(4) + "/indicator/1", "unit"),
        (legacy(5) + "/indicator/1", "targetValue"),
        (legacy(5) + "/indicator/1", "unit"),
    }
    assert {r["organisation"] for r in found} == {B + "org/lao-sao-400102"}


def test_parallel_plans(store: Store) -> None:
    # The legacy PAO plan 2564-2567 and the provincial office's plan 2566-2570 are both
    # provincial-level plans over area 40 with different owners; no other pair qualifies.
    found = rows(store, "parallel-plans")
    assert [(r["plan"], r["otherPlan"], r["area"]) for r in found] == [
        (B + "plan/legacy-lao-pao-40-2564-2567", B + "plan/provincial-40-2566-2570", KHON_KAEN)
    ]
    assert found[0]["ownerLabel"] == "องค์การบริหารส่วนจังหวัดขอนแก่น"


def test_a_path_to_a_class_beside_other_patterns_keeps_every_row(store: Store) -> None:
    # Two agreements with two parties each; Virtuoso alone dropped three of the four rows.
    result = store.query(
        f"""PREFIX tp: <{TP}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?agreement ?party WHERE {{
          ?agreement tp:party ?party ; a ?type .
          ?type rdfs:subClassOf* tp:Agreement .
          OPTIONAL {{ ?party tp:governmentTier ?tier }}
        }}"""
    )
    found = {(row["agreement"].value, row["party"].value) for row in result}  # type: ignore[union-attr]
    assert {(a.removeprefix(B + "agreement/"), p.removeprefix(B + "org/")) for a, p in found} == {
        ("pa-provincial-40-2567", "dopa"),
        ("pa-provincial-40-2567", "provincial-40"),
        ("psa-lao-mun-400101-2567", "provincial-40"),
        ("psa-lao-mun-400101-2567", "lao-mun-400101"),
    }
