"""A load of many graphs writes the derived data a share at a time as it is computed, never
holding a country's derived triples whole; what it writes is what the derivation holding them
whole computes, and the default graph's copy of the union takes them in too."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from loaded import default_graph_is_the_union

from kgservice.cli import main
from kgservice.derived import compute
from kgservice.namespaces import DEFAULT_BASE, TP, graph_iri
from kgservice.store.embedded import EmbeddedStore

DERIVED = ox.NamedNode(graph_iri(DEFAULT_BASE, "derived"))
SHARE = 100


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "SINK_EVERY", SHARE)


@pytest.mark.usefixtures("small_shares")
def test_the_derived_data_written_in_shares_is_what_is_derived_whole(
    national_file: Path, data_dir: Path, tmp_path: Path
) -> None:
    args = ["load", str(national_file), "--by-organisation", "--on-violation", "keep"]
    assert main([*args, "--report", str(tmp_path / "r.jsonl"), "--data-dir", str(data_dir)]) == 0
    assert default_graph_is_the_union(data_dir)
    store = EmbeddedStore(data_dir)
    try:
        written = set(store.graph_triples(DERIVED.value))
        whole = compute.derive(store, DEFAULT_BASE, None, outside=lambda keys: {}).triples
    finally:
        store.close()
    assert written == whole
    assert len(written) > 20 * SHARE
    contributions = {t for t in written if t.predicate.value == TP + "contributesTo"}
    assert contributions
