"""The generator and the benchmark harness on the small scale: the generated country is
reproducible, holds exactly the imperfections its manifest states, conforms to the shapes outside
the imperfections file, and one benchmark run works end to end (timings are not checked)."""

import hashlib
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgbench.generate import SCALES, generate
from kgbench.load_store import load_reference
from kgbench.run import Options, run
from kgservice.derived.titles import normalise_title
from kgservice.namespaces import TP, graph_iri
from kgservice.rdfinput import parse_rdf
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.validation import validate

SETTINGS = Settings(memory=True)
PREFIX = f"PREFIX tp: <{TP}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def _generate(out: Path, seed: int = 7) -> dict[str, object]:
    return generate(SCALES["small"], seed, out, areas=SETTINGS.bundled_data_dir / "areas.ttl")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("bench") / "data"
    return out, _generate(out)


@pytest.fixture(scope="module")
def graph(country: tuple[Path, dict[str, object]]) -> ox.Store:
    store = ox.Store()
    for path in sorted(country[0].glob("**/*.nt")):
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, where: str) -> int:
    rows = list(store.query(PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


def _digests(directory: Path) -> dict[str, str]:
    files = (p for p in directory.rglob("*") if p.is_file())
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }


def test_the_same_seed_gives_byte_identical_files(country, tmp_path):
    _generate(tmp_path / "again")
    assert _digests(tmp_path / "again") == _digests(country[0])


def test_another_seed_gives_another_country(country, tmp_path):
    _generate(tmp_path / "other", seed=8)
    assert _digests(tmp_path / "other") != _digests(country[0])


def test_one_file_per_organisation_named_by_its_id(country, graph):
    rows = graph.query(PREFIX + "SELECT ?id { ?o tp:organisationId ?id }")
    ids = {row["id"].value for row in rows}
    stems = {p.stem for p in country[0].glob("*.nt")}
    assert stems == ids


def test_triple_and_organisation_counts_match_the_manifest(country, graph):
    manifest = country[1]
    assert len(graph) == manifest["triples"]["total"]
    orgs = manifest["organisations"]
    assert _count(graph, "?o a tp:SubdistrictAdministrativeOrganization") == orgs["sao"]
    assert _count(graph, "?o a tp:Municipality") == orgs["mun"]
    assert _count(graph, "?o a tp:ProvincialAdministrativeOrganization") == orgs["pao"] == 1


def test_unlinked_projects_are_the_stated_orphans(country, graph):
    unlinked = "?p a tp:Project FILTER NOT EXISTS { ?p tp:partOf* ?e . ?e tp:supports ?x }"
    assert _count(graph, unlinked) == country[1]["expected"]["orphan_projects"] > 0


def test_allocations_outside_the_plan_period_are_the_stated_ones(country, graph):
    outside = "?b tp:fiscalYear ?y FILTER(?y < 2566 || ?y > 2570)"
    assert _count(graph, outside) == country[1]["expected"]["out_of_period_allocations"] > 0


def test_indicators_without_target_are_the_stated_ones(country, graph):
    missing = "?i a tp:OutputIndicator FILTER NOT EXISTS { ?i tp:targetValue ?v }"
    assert _count(graph, missing) == country[1]["expected"]["indicators_without_target"] > 0


def test_same_title_keys_come_only_in_the_stated_pairs(country, graph):
    rows = graph.query(PREFIX + "SELECT ?t { ?p a tp:Project ; rdfs:label ?t }")
    titles = [row["t"].value for row in rows]
    sizes = Counter(Counter(normalise_title(t) for t in titles).values())
    assert set(sizes) == {1, 2}
    assert sizes[2] == country[1]["expected"]["duplicate_pairs"] > 0


def test_each_provincial_strategy_but_the_stated_ones_has_local_support(country, graph):
    unsupported = (
        "?s tp:partOf ?plan . ?plan a tp:ProvincialDevelopmentPlan "
        "FILTER NOT EXISTS { ?e tp:supports ?s . ?e tp:partOf+ ?local . "
        "?local a tp:LocalDevelopmentPlan }"
    )
    assert _count(graph, unsupported) == country[1]["expected"]["unsupported_provincial_strategies"]


@pytest.fixture(scope="module")
def report(country, tmp_path_factory):
    work = tmp_path_factory.mktemp("work")
    (work / "small-7").mkdir()
    (work / "small-7" / "data").symlink_to(country[0], target_is_directory=True)
    options = Options(
        scale="small",
        seed=7,
        work=work,
        docs=work / "docs",
        cap_s=30,
        repeats=1,
        budget_s=0.5,
        naive_cap_s=0,
        validation_repeats=1,
        requests=16,
        bound_s=5,
        engines=("oxigraph",),
    )
    return run(options, log=lambda message: None), work / "docs"


def test_a_run_writes_markdown_and_json(report):
    _, docs = report
    assert json.loads((docs / "small.json").read_text("utf-8"))["scale"] == "small"
    assert "| supporting-local-plans |" in (docs / "small.md").read_text("utf-8")


def test_every_named_query_answers_on_every_engine_with_the_same_rows(report):
    results, _ = report
    names = {p.stem for p in SETTINGS.queries_dir.glob("*.rq")}
    assert names <= set(results["queries"])
    for label, cells in results["queries"].items():
        assert {c["status"] for c in cells.values()} == {"ok"}, label
        assert len({c["rows"] for c in cells.values()}) == 1, label


def test_named_queries_find_what_the_generator_planted(report):
    results, _ = report
    for label, check in results["expected_rows"].items():
        assert check["verdict"] in ("same", "twice (both orders)"), (label, check)


def test_the_submission_conforms_and_the_servers_were_measured(report):
    results, _ = report
    assert results["validation"]["conforms"] is True
    loads = results["load"]
    assert loads["bulk"]["triples"] > results["data"]["triples"]["total"]
    assert loads["service first start"]["triples"] >= loads["bulk"]["triples"]
    assert results["servers"]["service"]["rss_after_start_mb"] > 0
    # the loader and the service run with the allocator users get (kgservice.allocator)
    assert loads["service first start"]["allocator"] == "mimalloc"
    assert results["servers"]["service"]["allocator"] == "mimalloc"
    assert results["floor_allocator"] == "mimalloc"  # the floor differs from it by HTTP alone
    assert results["servers"]["rdflib-endpoint"] == {"status": "not run (left out with --engines)"}
    assert results["naive_validation"] == {"status": "not run (--naive-cap 0)"}
    assert results["throughput"]["service"]["completed"] == 16
    assert results["throughput"]["service, kept answers"]["completed"] == 16


@pytest.fixture(scope="module")
def conforming_store(country) -> EmbeddedStore:
    store = EmbeddedStore(None)
    load_reference(store, SETTINGS)
    for path in sorted(country[0].glob("*.nt")):
        store.load(
            path.read_bytes(),
            format=ox.RdfFormat.N_TRIPLES,
            graph=graph_iri(SETTINGS.base_iri, path.stem),
        )
    return store


def _validate(store: EmbeddedStore, data: bytes, replacing: tuple[str, ...] = ()) -> set[str]:
    report = validate(
        store, parse_rdf(data, "application/n-triples"), settings=SETTINGS, replacing=replacing
    )
    return {r.rule_id for r in report.results if r.severity_name == "Violation"}


@pytest.mark.parametrize("kind", ["provincial-", "lao-pao-", "lao-mun-", "lao-sao-"])
def test_generated_plans_conform_to_the_shapes(country, conforming_store, kind):
    first = sorted(country[0].glob(f"{kind}*.nt"))[0]
    replacing = (graph_iri(SETTINGS.base_iri, first.stem),)
    assert _validate(conforming_store, first.read_bytes(), replacing) == set()


def test_the_imperfections_break_the_linkage_and_period_rules(country, conforming_store):
    imperfect = b"".join(p.read_bytes() for p in sorted(country[0].glob("imperfections/*.nt")))
    assert _validate(conforming_store, imperfect) == {"R03", "R08"}
