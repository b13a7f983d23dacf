"""First-start loading of the ontology, shapes and bundled data, and idempotent restarts."""

import io
import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kgservice import bootstrap as bootstrap_module
from kgservice.bootstrap import bootstrap
from kgservice.errors import BadRequest, RdfSyntaxError
from kgservice.namespaces import TP
from kgservice.settings import Settings
from kgservice.store import Store, open_store
from kgservice.web.app import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bootstrap"
BASE = "https://w3id.org/thaiplan/id/"
SOURCES = {f"{BASE}graph/{name}" for name in ("ontology", "shapes", "areas", "lao-pao-40")}
LOADED = {  # triples per graph
    f"{BASE}graph/ontology": 4,
    f"{BASE}graph/shapes": 2,
    f"{BASE}graph/areas": 3,
    f"{BASE}graph/lao-pao-40": 1,
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "repo")
    return tmp_path / "repo"


def settings_for(tree: Path, **overrides: object) -> Settings:
    return Settings(
        data_dir=tree / "store",
        ontology_dir=tree / "ontology",
        shapes_dir=tree / "shapes",
        bundled_data_dir=tree / "data",
        **overrides,  # type: ignore[arg-type]
    )


def content(store: Store) -> dict[str, int]:
    graphs = store.graphs()
    del graphs[f"{BASE}graph/bootstrap"]
    return graphs


def test_each_source_gets_its_own_named_graph(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    assert set(bootstrap(store, settings_for(tree))) == SOURCES
    assert content(store) == LOADED


def test_both_backends_load_then_reload_only_a_changed_file(tree: Path, store: Store) -> None:
    assert set(bootstrap(store, settings_for(tree))) == SOURCES
    assert content(store) == LOADED
    areas = tree / "data" / "areas.ttl"
    areas.write_text(areas.read_text().replace("ขอนแก่น", "Khon Kaen"))
    assert bootstrap(store, settings_for(tree)) == [f"{BASE}graph/areas"]
    assert content(store) == LOADED
    assert bootstrap(store, settings_for(tree)) == []


def test_a_second_start_on_disk_loads_nothing(tree: Path) -> None:
    settings = settings_for(tree)
    first = open_store(settings)
    bootstrap(first, settings)
    first.close()
    del first
    again = open_store(settings)
    assert bootstrap(again, settings) == []
    assert set(content(again)) == SOURCES


def test_a_changed_file_reloads_only_its_graph(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    areas = tree / "data" / "areas.ttl"
    areas.write_text(areas.read_text().replace("ขอนแก่น", "Khon Kaen"))
    assert bootstrap(store, settings_for(tree)) == [f"{BASE}graph/areas"]
    labels = store.query(f'ASK {{ GRAPH <{BASE}graph/areas> {{ ?a ?p "Khon Kaen"@th }} }}')
    old = store.query('ASK { ?a ?p "ขอนแก่น"@th }')
    assert (bool(labels), bool(old)) == (True, False)


def test_a_changed_ontology_file_reloads_the_whole_ontology_graph(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    (tree / "ontology" / "areas.ttl").unlink()
    assert bootstrap(store, settings_for(tree)) == [f"{BASE}graph/ontology"]
    assert content(store)[f"{BASE}graph/ontology"] == 3


def test_a_removed_data_file_drops_its_graph(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    (tree / "data" / "sample" / "lao-pao-40.ttl").unlink()
    assert bootstrap(store, settings_for(tree)) == [f"{BASE}graph/lao-pao-40"]
    assert set(content(store)) == SOURCES - {f"{BASE}graph/lao-pao-40"}


def test_a_start_stopped_before_recording_reloads_what_it_had_not_recorded(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    # as a start stopped after loading areas.ttl but before recording it would leave the store
    store.update(
        f"DELETE WHERE {{ GRAPH <{BASE}graph/bootstrap> {{ <{BASE}graph/areas> ?p ?sum }} }} ;"
        f"INSERT DATA {{ GRAPH <{BASE}graph/areas> {{ <{BASE}area/99> a <{BASE}Half> }} }}"
    )
    assert bootstrap(store, settings_for(tree)) == [f"{BASE}graph/areas"]
    assert content(store)[f"{BASE}graph/areas"] == 3
    assert bootstrap(store, settings_for(tree)) == []


def test_a_changed_file_keeps_the_other_checksums(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    areas = tree / "data" / "areas.ttl"
    areas.write_text(areas.read_text().replace("ขอนแก่น", "Khon Kaen"))
    bootstrap(store, settings_for(tree))
    assert store.graphs()[f"{BASE}graph/bootstrap"] == 8  # a checksum and a stamp per source
    assert bootstrap(store, settings_for(tree)) == []


def test_a_start_hashes_only_files_whose_size_or_time_changed(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    areas = tree / "data" / "areas.ttl"
    before = areas.stat()
    # New content of the same size with the old time: the stamp says unchanged, so the file is
    # not read (what make and rsync assume too).
    areas.write_text(areas.read_text().replace("ขอนแก่น", "ขอนแกน่"))
    assert areas.stat().st_size == before.st_size
    os.utime(areas, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert bootstrap(store, settings_for(tree)) == []
    # A new time: hashed, found changed, reloaded.
    os.utime(areas, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    assert bootstrap(store, settings_for(tree)) == [f"{BASE}graph/areas"]
    assert bootstrap(store, settings_for(tree)) == []


def test_a_touched_file_is_not_reloaded_and_its_new_stamp_is_kept(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    areas = tree / "data" / "areas.ttl"
    stamp = areas.stat()
    os.utime(areas, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    assert bootstrap(store, settings_for(tree)) == []
    query = f"SELECT ?stamp WHERE {{ <{BASE}graph/areas> <{TP}sourceFileStamp> ?stamp }}"
    recorded = [row["stamp"].value for row in store.query(query)]  # type: ignore[union-attr]
    assert recorded == [f"areas.ttl:{stamp.st_size}:{stamp.st_mtime_ns + 10**9}"]


def test_a_broken_file_is_named_with_its_line_and_its_graph_is_left_alone(tree: Path) -> None:
    store = open_store(settings_for(tree, memory=True))
    bootstrap(store, settings_for(tree))
    areas = tree / "data" / "areas.ttl"
    areas.write_text(areas.read_text() + "<https://w3id.org/thaiplan/id/area/41> a .\n")
    with pytest.raises(RdfSyntaxError) as caught:
        bootstrap(store, settings_for(tree))
    assert "areas.ttl" in caught.value.message
    assert "line 7" in caught.value.message
    assert content(store)[f"{BASE}graph/areas"] == 3


def test_a_broken_file_on_a_first_start_is_named_and_the_next_start_loads_everything(
    tree: Path,
) -> None:
    store = open_store(settings_for(tree, memory=True))
    areas = tree / "data" / "areas.ttl"
    good = areas.read_text()
    areas.write_text(good + "<https://w3id.org/thaiplan/id/area/41> a .\n")
    with pytest.raises(RdfSyntaxError) as caught:
        bootstrap(store, settings_for(tree))
    assert "areas.ttl" in caught.value.message
    assert "line 7" in caught.value.message
    areas.write_text(good)
    assert set(bootstrap(store, settings_for(tree))) == SOURCES
    assert content(store) == LOADED


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_only_on_a_terminal(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal, pipe = Terminal(), io.StringIO()
    monkeypatch.setattr(bootstrap_module.sys, "stderr", terminal)
    bootstrap(open_store(settings_for(tree, memory=True)), settings_for(tree))
    monkeypatch.setattr(bootstrap_module.sys, "stderr", pipe)
    bootstrap(open_store(settings_for(tree, memory=True)), settings_for(tree))
    assert "4/4 lao-pao-40.ttl" in terminal.getvalue()
    assert "loaded 4 sources" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_the_app_loads_the_bundled_data_when_it_starts(tree: Path) -> None:
    client = TestClient(create_app(settings_for(tree, memory=True)))
    health = client.get("/healthz").json()
    assert health["bundled_data"] == "loaded"
    assert health["graphs"] == 5  # four sources and the bootstrap record
    query = "SELECT ?plan WHERE { ?plan a <http://example.org/model#Plan> }"
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert rows == [{"plan": {"type": "uri", "value": f"{BASE}plan/lao-pao-40-2566-2570"}}]


def test_two_data_files_with_one_name_are_refused_before_loading(tree: Path) -> None:
    shutil.copy(tree / "data" / "areas.ttl", tree / "data" / "sample" / "areas.ttl")
    store = open_store(settings_for(tree, memory=True))
    with pytest.raises(BadRequest) as caught:
        bootstrap(store, settings_for(tree))
    assert "areas" in caught.value.message
    assert store.graphs() == {}
