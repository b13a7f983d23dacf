"""Everything we ship conforms to the rules, validated with the rest of the bundled data as the
graph around it; the file of imperfect legacy records does not (it exists to be found)."""

from pathlib import Path

import pytest
from rule_examples import BUNDLED, LEGACY

from kgservice.rdfinput import parse_rdf
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.validation import validate


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
