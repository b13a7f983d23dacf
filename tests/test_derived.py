"""The derived graph stays in step with the data: after a load, a replacement or a removal of a
graph and an incremental refresh it holds exactly what a full recomputation gives."""

import pyoxigraph as ox
import pytest
from queries_support import (
    FIXTURES,
    SETTINGS,
    B,
    bundled_store,
    column,
    derived_triples,
    load_file,
    rows,
)

from kgservice.derived import upkeep
from kgservice.derived.facts import Replacement
from kgservice.namespaces import graph_iri
from kgservice.store import Store, union

KK = B + "plan/provincial-40-2566-2570/strategy/"
NEW = B + "plan/lao-sao-400103-2566-2570/"
SUBMISSION = FIXTURES / "lao-sao-400103.ttl"


@pytest.fixture
def store() -> Store:
    return bundled_store()


def assert_same_as_full_refresh(store: Store) -> None:
    incremental = derived_triples(store)
    upkeep.refresh(store, SETTINGS)
    assert incremental == derived_triples(store)


def replace(store: Store, name: str, turtle: str) -> str:
    graph = graph_iri(B, name)
    store.update(union.drop(graph))
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE, graph=graph)
    return graph


def test_loading_a_submission_refreshes_incrementally(store: Store) -> None:
    upkeep.refresh(store, SETTINGS, [load_file(store, SUBMISSION)])
    assert_same_as_full_refresh(store)


def test_replacing_a_submission_drops_what_it_no_longer_says(store: Store) -> None:
    graph = load_file(store, SUBMISSION)
    upkeep.refresh(store, SETTINGS, [graph])
    unlinked = SUBMISSION.read_text("utf-8").replace("tp:supports kk:5 .", ".")
    upkeep.refresh(store, SETTINGS, [replace(store, "lao-sao-400103", unlinked)])
    assert rows(store, "supporting-local-plans", strategy=KK + "5") == []
    orphans = set(column(rows(store, "orphan-projects"), "project"))
    assert {NEW + "project/1", NEW + "project/2", NEW + "project/3"} <= orphans
    assert_same_as_full_refresh(store)


def test_removing_a_submission_restores_the_derived_graph(store: Store) -> None:
    original = derived_triples(store)
    graph = load_file(store, SUBMISSION)
    upkeep.refresh(store, SETTINGS, [graph])
    store.update(union.drop(graph))
    upkeep.refresh(store, SETTINGS, [graph])
    assert derived_triples(store) == original


def test_a_change_upstream_refreshes_the_plans_that_support_it(store: Store) -> None:
    # Provincial strategy 4 stops supporting National Strategy 5: the ten local projects under
    # kk:4 (in three other graphs) no longer reach it.
    ns5 = B + "plan/national-strategy/strategy/5"
    assert len(rows(store, "supporting-local-plans", strategy=ns5)) == 10
    path = SETTINGS.bundled_data_dir / "sample" / "provincial-40.ttl"
    text = path.read_text("utf-8").replace("tp:supports ns:5 , ms:10 ;", "tp:supports ms:10 ;")
    upkeep.refresh(store, SETTINGS, [replace(store, "provincial-40", text)])
    assert rows(store, "supporting-local-plans", strategy=ns5) == []
    assert_same_as_full_refresh(store)


def test_a_removed_duplicate_leaves_no_twin_behind(store: Store) -> None:
    # The PAO's project 1 and the SAO 400102's project 1 share a title; without the SAO's graph
    # the PAO's project has no twin left.
    assert len(rows(store, "duplicate-candidates")) == 1
    graph = graph_iri(B, "lao-sao-400102")
    store.update(union.drop(graph))
    upkeep.refresh(store, SETTINGS, [graph])
    assert rows(store, "duplicate-candidates") == []
    assert_same_as_full_refresh(store)


def test_a_change_to_the_areas_recomputes_everything(store: Store) -> None:
    # Moving subdistrict 400102 out of Khon Kaen takes SAO 400102 out of the province.
    areas = graph_iri(B, "areas")
    store.update(
        f"""PREFIX tp: <https://w3id.org/thaiplan/ontology#>
        DELETE DATA {{ GRAPH {ox.NamedNode(areas)} {{
          <{B}area/400102> tp:withinArea <{B}area/4001> }} }}"""
    )
    upkeep.refresh(store, SETTINGS, [areas])
    found = rows(store, "strategy-coverage", province=B + "area/40")
    assert {int(r["localGovernments"]) for r in found} == {5}


def commit(store: Store, name: str, turtle: str) -> None:
    """Replace ``graph/{name}`` as a write does: the derived changes computed beforehand from the
    new content, committed with it."""
    graph = graph_iri(B, name)
    content = {graph: list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))}
    store.replace_graphs(content, then=upkeep.changes(store, SETTINGS, Replacement(content)))


def test_a_write_commits_the_derived_data_of_its_new_submission(store: Store) -> None:
    commit(store, "lao-sao-400103", SUBMISSION.read_text("utf-8"))
    assert_same_as_full_refresh(store)


def test_a_write_commits_what_its_replacement_no_longer_says(store: Store) -> None:
    commit(store, "lao-sao-400103", SUBMISSION.read_text("utf-8"))
    unlinked = SUBMISSION.read_text("utf-8").replace("tp:supports kk:5 .", ".")
    commit(store, "lao-sao-400103", unlinked)
    assert rows(store, "supporting-local-plans", strategy=KK + "5") == []
    assert_same_as_full_refresh(store)


def test_a_write_removing_a_graph_restores_the_derived_graph(store: Store) -> None:
    original = derived_triples(store)
    commit(store, "lao-sao-400103", SUBMISSION.read_text("utf-8"))
    commit(store, "lao-sao-400103", "")
    assert derived_triples(store) == original


def test_a_write_upstream_commits_the_plans_that_support_it(store: Store) -> None:
    ns5 = B + "plan/national-strategy/strategy/5"
    path = SETTINGS.bundled_data_dir / "sample" / "provincial-40.ttl"
    text = path.read_text("utf-8").replace("tp:supports ns:5 , ms:10 ;", "tp:supports ms:10 ;")
    commit(store, "provincial-40", text)
    assert rows(store, "supporting-local-plans", strategy=ns5) == []
    assert_same_as_full_refresh(store)


def test_a_write_removing_a_duplicate_leaves_no_twin_behind(store: Store) -> None:
    commit(store, "lao-sao-400102", "")
    assert rows(store, "duplicate-candidates") == []
    assert_same_as_full_refresh(store)


def test_a_write_to_the_areas_commits_everything_recomputed(store: Store) -> None:
    path = SETTINGS.bundled_data_dir / "areas.ttl"
    text = path.read_text("utf-8").replace("tp:withinArea area:4001", "tp:withinArea area:4002", 1)
    commit(store, "areas", text)
    assert_same_as_full_refresh(store)


def neighbour_plan(subdistrict: str, year: int) -> str:
    """A subdistrict administrative organisation's plan with one project, titled as Khon Kaen
    City Municipality's project 3 (CCTV in communities, FY2568, subdistrict 400101 of Mueang
    Khon Kaen district) once "โครงการ" and spacing are normalised away."""
    plan = f"{B}plan/lao-sao-{subdistrict}-2566-2570"
    return f"""@prefix tp: <https://w3id.org/thaiplan/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <{plan}> a tp:LocalDevelopmentPlan ; tp:level tp:LocalLevel ;
        tp:ownedBy <{B}org/lao-sao-{subdistrict}> ; tp:coversArea <{B}area/{subdistrict}> ;
        tp:startFiscalYear 2566 ; tp:endFiscalYear 2570 .
    <{plan}/strategy/1> a tp:Strategy ; tp:partOf <{plan}> .
    <{plan}/project/1> a tp:Project ; tp:partOf <{plan}/strategy/1> ;
        rdfs:label "ติดตั้งกล้องโทรทัศน์วงจรปิด ในชุมชน"@th ;
        tp:budget <{plan}/project/1/budget> .
    <{plan}/project/1/budget> tp:fiscalYear {year} ; tp:amount 100000 ."""


def twins_of(store: Store, project: str) -> set[str]:
    found = rows(store, "duplicate-candidates")
    return {r["twin"] for r in found if r["project"] == project} | {
        r["project"] for r in found if r["twin"] == project
    }


def test_neighbours_in_one_district_with_the_same_project_are_duplicate_candidates(
    store: Store,
) -> None:
    # Subdistrict 400103 lies in Mueang Khon Kaen district, beside 400101: neither area is
    # within the other, but one district's coordinating committee sees both projects.
    cctv = B + "plan/lao-mun-400101-2566-2570/project/3"
    commit(store, "lao-sao-400103", neighbour_plan("400103", 2568))
    assert twins_of(store, cctv) == {B + "plan/lao-sao-400103-2566-2570/project/1"}
    assert_same_as_full_refresh(store)


def test_the_same_project_in_another_district_or_years_is_no_candidate(store: Store) -> None:
    cctv = B + "plan/lao-mun-400101-2566-2570/project/3"
    commit(store, "lao-sao-400201", neighbour_plan("400201", 2568))  # Ban Fang district
    commit(store, "lao-sao-400103", neighbour_plan("400103", 2570))  # years do not overlap
    assert twins_of(store, cctv) == set()
    assert_same_as_full_refresh(store)
