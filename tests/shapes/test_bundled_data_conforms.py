"""Everything we ship conforms to the rules, validated with the rest of the bundled data as the
graph around it; the file of imperfect legacy records does not (it exists to be found)."""

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.rdfinput import parse_rdf
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.validation import validate

DATA = PROJECT_ROOT / "data" / "ttl"
LEGACY = DATA / "legacy-imports.ttl"
BUNDLED = sorted(p for p in DATA.rglob("*.ttl") if p != LEGACY)


@pytest.fixture(scope="module")
def bundled_store() -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(None)
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph("ontology"))
    for path in BUNDLED:
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph(path.stem))
    yield store
    store.close()


def graph(name: str) -> str:
    return graph_iri(DEFAULT_BASE, name)


def report_for(path: Path, store: EmbeddedStore, settings: Settings) -> dict[str, object]:
    submission = parse_rdf(path.read_bytes(), "text/turtle")
    return validate(store, submission, settings=settings).to_json("en")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_file_conforms(
    path: Path, bundled_store: EmbeddedStore, settings: Settings
) -> None:
    report = report_for(path, bundled_store, settings)
    assert report["conforms"], report["results"]


def test_the_bundled_data_includes_plans_and_areas() -> None:
    names = {p.name for p in BUNDLED}
    assert {"areas.ttl", "lao-pao-40.ttl", "provincial-40.ttl"} <= names


def test_legacy_records_do_not_conform_and_each_fault_is_found(
    bundled_store: EmbeddedStore, settings: Settings
) -> None:
    report = report_for(LEGACY, bundled_store, settings)
    assert not report["conforms"]
    found = {r["rule"] for r in report["results"]}  # type: ignore[attr-defined]
    # orphan projects, a Christian Era year, years outside the plan, a misaligned period,
    # indicators without target or unit: what the file's header says it contains
    assert {"R03", "R07", "R08", "R10", "R13"} <= found
