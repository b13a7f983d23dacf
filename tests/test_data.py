"""The bundled data in data/ttl: it parses, says where it comes from, and holds what it promises."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import geothai
import pyoxigraph as ox
import pytest
import rdflib

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "ttl"
FILES = sorted(DATA.rglob("*.ttl"))
SAMPLE = sorted((DATA / "sample").glob("*.ttl"))
BASE = "https://w3id.org/thaiplan/id/"
PROVINCIAL_PLAN = f"{BASE}plan/provincial-40-2566-2570"
PREFIXES = """
PREFIX tp: <https://w3id.org/thaiplan/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def graph_name(path: Path) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE}graph/{path.stem}")


def load(paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph_name(path))
    return store


def select(store: ox.Store, query: str, **bound: ox.NamedNode) -> list[tuple[str, ...]]:
    """Rows of plain values over the union of the loaded files, with variables bound to terms."""
    solutions = store.query(
        PREFIXES + query,
        use_default_graph_as_union=True,
        substitutions={ox.Variable(name): term for name, term in bound.items()},
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(term.value if term is not None else "" for term in row) for row in solutions]


def count(store: ox.Store, query: str) -> int:
    return int(select(store, query)[0][0])


@pytest.fixture(scope="module")
def everything() -> ox.Store:
    return load(FILES)


@pytest.fixture(scope="module")
def areas() -> ox.Store:
    return load([DATA / "areas.ttl"])


def make_areas() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_areas", ROOT / "scripts" / "make_areas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- every file


def test_file_stems_are_unique_because_each_names_a_graph() -> None:
    stems = [p.stem for p in FILES]
    assert len(stems) == len(set(stems))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_parses_with_rdflib_and_starts_with_a_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert len(rdflib.Graph().parse(data=text, format="turtle")) > 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_describes_its_source_licence_creator_and_date(path: Path) -> None:
    store = load([path])
    rows = select(
        store,
        """SELECT ?licence ?creator ?modified ?source ?dataset WHERE {
             ?dataset dcterms:license ?licence ; dcterms:creator ?creator ;
                      dcterms:modified ?modified ; dcterms:title ?title .
             { ?dataset dcterms:source ?source } UNION { ?dataset prov:wasDerivedFrom ?source }
             FILTER (lang(?title) = "th")
           }""",
        dataset=graph_name(path),
    )
    assert rows, f"{path.name} has no dataset description with source and licence"
    assert {r[0] for r in rows} == {"https://creativecommons.org/licenses/by/4.0/"}


def test_everything_with_a_label_has_a_thai_label(everything: ox.Store) -> None:
    missing = select(
        everything,
        """SELECT DISTINCT ?thing WHERE {
             ?thing rdfs:label ?any .
             FILTER NOT EXISTS { ?thing rdfs:label ?th FILTER (lang(?th) = "th") }
           }""",
    )
    assert missing == []


def test_plans_elements_and_organisations_have_exactly_one_thai_label(
    everything: ox.Store,
) -> None:
    wrong = select(
        everything,
        """SELECT ?thing (COUNT(DISTINCT ?th) AS ?n) WHERE {
             { ?thing tp:level ?level } UNION { ?thing tp:partOf ?whole }
             UNION { ?thing tp:organisationId ?id }
             OPTIONAL { ?thing rdfs:label ?th FILTER (lang(?th) = "th") }
           } GROUP BY ?thing HAVING (COUNT(DISTINCT ?th) != 1)""",
    )
    assert wrong == []


def test_organisation_ids_are_the_last_segment_of_their_iris(everything: ox.Store) -> None:
    rows = select(everything, "SELECT ?org ?id WHERE { ?org tp:organisationId ?id }")
    assert rows
    assert all(org == f"{BASE}org/{oid}" for org, oid in rows)


# ---------------------------------------------------------------- areas


def test_areas_file_is_what_the_script_makes_from_the_installed_geothai() -> None:
    assert (DATA / "areas.ttl").read_text(encoding="utf-8") == make_areas().generate()


def current_count(store: ox.Store, kind: str) -> int:
    return count(
        store,
        f"""SELECT (COUNT(?a) AS ?n) WHERE {{
              ?a a tp:{kind} FILTER NOT EXISTS {{ ?a tp:abolished true }} }}""",
    )


def test_there_are_77_provinces(areas: ox.Store) -> None:
    assert current_count(areas, "Province") == 77


def test_area_counts_match_geothai(areas: ox.Store) -> None:
    districts = [d for p in geothai.provinces() for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    assert current_count(areas, "Province") == len(geothai.provinces())
    assert current_count(areas, "District") == len(districts)
    assert current_count(areas, "Subdistrict") == len(subdistricts)


def test_area_codes_are_unique_one_per_area(areas: ox.Store) -> None:
    rows = select(areas, "SELECT ?area ?code WHERE { ?area tp:areaCode ?code }")
    assert len({code for _, code in rows}) == len(rows) == len({area for area, _ in rows})
    assert all(area == f"{BASE}area/{code}" for area, code in rows)


def test_area_code_length_matches_its_kind(areas: ox.Store) -> None:
    rows = select(
        areas,
        """SELECT ?kind ?code WHERE {
             VALUES ?kind { tp:Province tp:District tp:Subdistrict }
             ?area a ?kind ; tp:areaCode ?code }""",
    )
    lengths = {"Province": 2, "District": 4, "Subdistrict": 6}
    assert all(len(code) == lengths[kind.rsplit("#", 1)[1]] for kind, code in rows)


def test_area_nesting_agrees_with_code_prefixes(areas: ox.Store) -> None:
    rows = select(
        areas,
        """SELECT ?child ?parent WHERE {
             ?c tp:withinArea ?p . ?c tp:areaCode ?child . ?p tp:areaCode ?parent }""",
    )
    assert rows
    assert all(c.startswith(p) and len(c) == len(p) + 2 for c, p in rows)
    parentless = count(
        areas,
        """SELECT (COUNT(?a) AS ?n) WHERE {
             ?a a ?kind FILTER (?kind IN (tp:District, tp:Subdistrict))
             FILTER NOT EXISTS { ?a tp:withinArea ?p } }""",
    )
    assert parentless == 0


def test_abolished_areas_are_replaced_only_by_current_ones(areas: ox.Store) -> None:
    assert count(areas, "SELECT (COUNT(*) AS ?n) WHERE { ?a tp:replacedBy ?b }") > 0
    stale = count(
        areas,
        """SELECT (COUNT(*) AS ?n) WHERE {
             ?a tp:replacedBy ?b . FILTER NOT EXISTS { ?a tp:abolished true }
           } """,
    ) + count(areas, "SELECT (COUNT(*) AS ?n) WHERE { ?a tp:replacedBy ?b . ?b tp:abolished true }")
    assert stale == 0


# ---------------------------------------------------------------- plans in the bundled data


def test_every_plan_element_is_part_of_a_plan(everything: ox.Store) -> None:
    loose = select(
        everything,
        """SELECT ?element WHERE {
             ?element tp:partOf ?whole .
             FILTER NOT EXISTS { ?element tp:partOf+ ?plan . ?plan tp:level ?level }
           }""",
    )
    assert loose == []


def test_budget_years_lie_in_the_plan_period_except_in_legacy_records() -> None:
    store = load([p for p in FILES if p.stem != "legacy-imports"])
    outside = select(
        store,
        """SELECT ?allocation WHERE {
             ?element tp:budget ?allocation . ?allocation tp:fiscalYear ?year .
             ?element tp:partOf+ ?plan . ?plan tp:startFiscalYear ?start ; tp:endFiscalYear ?end .
             FILTER (?year < ?start || ?year > ?end) }""",
    )
    assert outside == []


# ---------------------------------------------------------------- national plans and the lecture


@pytest.mark.parametrize(
    ("stem", "plan", "elements"),
    [("national-strategy", "national-strategy", 6), ("nesdp-13", "nesdp-13", 13)],
)
def test_national_plan_has_its_numbered_elements_in_thai_and_english(
    stem: str, plan: str, elements: int
) -> None:
    rows = select(
        load([DATA / f"{stem}.ttl"]),
        """SELECT ?n ?th ?en ?plan WHERE {
             ?element tp:partOf ?plan ; tp:sequenceNumber ?n ; rdfs:label ?th , ?en .
             FILTER (lang(?th) = "th" && lang(?en) = "en") } ORDER BY ?n""",
        plan=ox.NamedNode(f"{BASE}plan/{plan}"),
    )
    assert [int(n) for n, *_ in rows] == list(range(1, elements + 1))


def test_lecture_example_links_five_agencies_to_four_strategies_in_all_five_modes() -> None:
    rows = select(
        load([DATA / "lecture-example.ttl"]),
        """SELECT ?mode ?target WHERE {
             ?linkage a tp:Linkage ; tp:linkageSource ?source ; tp:linkageTarget ?target ;
                      tp:linkageMode ?mode .
             ?source tp:supports ?target ; tp:partOf/tp:ownedBy ?agency }""",
    )
    modes = {mode.rsplit("#", 1)[1] for mode, _ in rows}
    assert modes == {"LinkMode", "CoordinateMode", "CombineMode", "AnnexMode", "ComplementMode"}
    assert len({target for _, target in rows}) == 4


# ---------------------------------------------------------------- the Khon Kaen sample


@pytest.mark.parametrize("path", [p for p in SAMPLE if p.stem.startswith("lao-")], ids=str)
def test_local_government_file_is_named_for_its_organisation(path: Path) -> None:
    ids = select(load([path]), "SELECT ?id WHERE { ?org tp:organisationId ?id }")
    assert ids == [(path.stem,)]


def test_sample_has_six_local_governments_of_all_three_kinds(everything: ox.Store) -> None:
    rows = select(
        everything,
        """SELECT ?kind (COUNT(DISTINCT ?org) AS ?n) WHERE {
             VALUES ?kind { tp:ProvincialAdministrativeOrganization tp:Municipality
                            tp:SubdistrictAdministrativeOrganization }
             ?org a ?kind ; tp:jurisdiction/tp:withinArea* <https://w3id.org/thaiplan/id/area/40>
           } GROUP BY ?kind""",
    )
    kinds = {kind.rsplit("#", 1)[1]: int(n) for kind, n in rows}
    assert set(kinds) == {
        "ProvincialAdministrativeOrganization",
        "Municipality",
        "SubdistrictAdministrativeOrganization",
    }
    assert sum(kinds.values()) >= 6


def test_sample_has_sixty_projects_each_with_budget_and_measurable_indicator() -> None:
    store = load(SAMPLE)
    projects = count(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a tp:Project }")
    complete = count(
        store,
        """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
             ?p a tp:Project ; tp:budget/tp:amount ?amount ;
                tp:indicator [ tp:targetValue ?target ; tp:unit ?unit ] }""",
    )
    assert projects >= 60
    assert complete == projects


def test_every_sample_project_supports_a_higher_element_through_its_plan_tree() -> None:
    unlinked = select(
        load(SAMPLE),
        """SELECT ?project WHERE {
             ?project a tp:Project .
             FILTER NOT EXISTS { ?project tp:partOf* ?linked . ?linked tp:supports ?target }
           }""",
    )
    assert unlinked == []


def test_only_provincial_strategy_5_has_no_local_support() -> None:
    rows = select(
        load(SAMPLE),
        """SELECT ?strategy ?plan WHERE {
             ?strategy tp:partOf ?plan .
             FILTER NOT EXISTS { ?local tp:supports ?strategy }
           }""",
        plan=ox.NamedNode(PROVINCIAL_PLAN),
    )
    assert rows == [(f"{PROVINCIAL_PLAN}/strategy/5", PROVINCIAL_PLAN)]


def test_sample_has_one_agreement_of_each_kind_between_two_tiers(everything: ox.Store) -> None:
    rows = select(
        everything,
        """SELECT ?kind (COUNT(DISTINCT ?tier) AS ?tiers) WHERE {
             VALUES ?kind { tp:PerformanceAgreement tp:PublicServiceAgreement }
             ?agreement a ?kind ; tp:covers ?element ; tp:indicator ?indicator ;
                        tp:party/tp:governmentTier ?tier
           } GROUP BY ?kind""",
    )
    assert sorted((kind.rsplit("#", 1)[1], int(n)) for kind, n in rows) == [
        ("PerformanceAgreement", 2),
        ("PublicServiceAgreement", 2),
    ]


# ---------------------------------------------------------------- the legacy records


def test_legacy_records_hold_orphan_projects_and_budgets_outside_their_plan() -> None:
    store = load([DATA / "legacy-imports.ttl"])
    orphans = count(
        store,
        """SELECT (COUNT(?p) AS ?n) WHERE {
             ?p a tp:Project . FILTER NOT EXISTS { ?p tp:partOf* ?x . ?x tp:supports ?y } }""",
    )
    outside = count(
        store,
        """SELECT (COUNT(?a) AS ?n) WHERE {
             ?e tp:budget ?a . ?a tp:fiscalYear ?year . ?e tp:partOf+ ?plan .
             ?plan tp:startFiscalYear ?start ; tp:endFiscalYear ?end .
             FILTER (?year < ?start || ?year > ?end) }""",
    )
    assert orphans > 0 and outside > 0
