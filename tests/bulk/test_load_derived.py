"""A load of many graphs derives them a group of graphs at a time and writes the derived data a
share at a time, never holding a country's facts or derived triples whole; what it writes is
what the derivation holding them whole computes, and what the service's upkeep commits when the
same graphs arrive one write at a time; the default graph's copy of the union takes them in too."""

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from loaded import default_graph_is_the_union

from kgservice.bulk import finish
from kgservice.cli import main
from kgservice.derived import compute, grouped, upkeep
from kgservice.derived.facts import Replacement
from kgservice.namespaces import DEFAULT_BASE, TP, graph_iri
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore

DERIVED = ox.NamedNode(graph_iri(DEFAULT_BASE, "derived"))
SHARE = 100
GROUP = 4


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finish, "INCREMENTAL_LIMIT", 1)  # a full refresh, as a national load's
    monkeypatch.setattr(compute, "SINK_EVERY", SHARE)
    monkeypatch.setattr(grouped, "GROUP_GRAPHS", GROUP)


@pytest.fixture
def loaded(national_file: Path, data_dir: Path, tmp_path: Path, small_shares: None) -> Path:
    args = ["load", str(national_file), "--by-organisation", "--on-violation", "keep"]
    assert main([*args, "--report", str(tmp_path / "r.jsonl"), "--data-dir", str(data_dir)]) == 0
    return data_dir


def test_the_derived_data_written_in_groups_and_shares_is_what_is_derived_whole(
    loaded: Path,
) -> None:
    assert default_graph_is_the_union(loaded)
    store = EmbeddedStore(loaded)
    try:
        assert len(store.graphs()) > 5 * GROUP
        written = set(store.graph_triples(DERIVED.value))
        whole = compute.derive(store, DEFAULT_BASE, None, outside=lambda keys: {}).triples
    finally:
        store.close()
    assert written == whole
    assert len(written) > 20 * SHARE
    kinds = {t.predicate.value.removeprefix(TP) for t in written}
    assert {"contributesTo", "titleTwin", "summaryAmount", "rollupAmount", "inProvince"} <= kinds


def test_a_load_derives_what_the_upkeep_of_one_write_per_graph_commits(
    loaded: Path, bundled_store: Path, tmp_path: Path
) -> None:
    shutil.copytree(bundled_store, tmp_path / "written")
    written = EmbeddedStore(tmp_path / "written")
    store = EmbeddedStore(loaded)
    try:
        for graph in sorted(set(store.graphs()) - {DERIVED.value}):
            content = {graph: store.graph_triples(graph)}
            if set(content[graph]) != set(written.graph_triples(graph)):
                changes = upkeep.changes(written, Settings(memory=True), Replacement(content))
                written.replace_graphs(content, then=changes)
        assert set(written.graph_triples(DERIVED.value)) == set(store.graph_triples(DERIVED.value))
    finally:
        store.close()
        written.close()
