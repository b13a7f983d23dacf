"""A service's first start builds the search index from the bundled files beside its load: a
search answers straight away, the index is up to date with the store (the next look at it reads
nothing again), and it holds what a rebuild from the store holds, document for document."""

import gc
import json
import logging
import os
import signal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import tantivy
from fastapi.testclient import TestClient

from kgservice.bootstrap import _parse, sources
from kgservice.cli import main
from kgservice.errors import RdfSyntaxError
from kgservice.search import first_start
from kgservice.search.documents import Entry, Reference, entries
from kgservice.search.first_start import FileFeed
from kgservice.search.index import STATE, SearchIndex
from kgservice.settings import Settings
from kgservice.store import solutions
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

ROAD = "https://w3id.org/thaiplan/id/plan/lao-sao-401014-2566-2570/project/1"
TEXTS = ["ถนน คสล.", "ขุดลอก", "ผู้สูงอายุ"]


def answers(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Each text's results, in IRI order (results that rank equal come in the order the index
    took them in)."""
    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        found = {
            text: client.get("/search", params={"q": text, "format": "json", "limit": 100}).json()
            for text in TEXTS
        }
    return {
        text: sorted(answer["results"], key=lambda r: r["iri"]) for text, answer in found.items()
    }


def documents(data_dir: Path) -> list[str]:
    """Every document the index holds, as what it keeps of it, in order."""
    searcher = SearchIndex(Settings(data_dir=data_dir).search_index_path).searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs).hits
    kept = [searcher.doc(address).to_dict() for _, address in hits]
    return sorted(json.dumps([d["resource"][0].decode(), d["rank"], d["province"]]) for d in kept)


def test_the_first_start_builds_the_index_a_rebuild_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "store"
    with caplog.at_level(logging.INFO, logger="kgservice.search"):
        first = answers(data_dir)
    assert "search index built from the bundled files" in caplog.text
    gc.collect()  # the service's store lets its directory's lock go
    built = documents(data_dir)
    capsys.readouterr()
    assert main(["search-index", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == "up to date: 0 graphs read again\n"
    assert main(["search-index", "--rebuild", "--data-dir", str(data_dir)]) == 0
    assert ROAD in {r["iri"] for r in first["ถนน คสล."]}
    assert all(first[text] for text in TEXTS)
    assert answers(data_dir) == first
    gc.collect()
    assert len(built) > 1000
    assert documents(data_dir) == built


def by_key(found: list[Entry]) -> dict[tuple[str, str], Entry]:
    return {(e.graph, e.iri): e for e in found}


def test_the_entries_taken_from_the_files_are_those_the_store_gives(tmp_path: Path) -> None:
    """After the derived data too: what it adds (``tp:OrphanProject`` types) is not taken in."""
    settings = Settings(data_dir=tmp_path / "store")
    with TestClient(create_app(settings)):
        pass
    gc.collect()
    feed = FileFeed(settings)
    for source in sources(settings):
        feed.read(source.graph, _parse(source.files))
    from_files = by_key(list(feed.entries(settings.base_iri)))
    store = EmbeddedStore(settings.data_dir)
    try:
        from_store = by_key(list(entries(store, settings.base_iri, Reference.read(store))))
    finally:
        store.close()
    assert len(from_store) > 1000
    assert feed.blank_nodes  # the shapes' and the ontology's, which no entry names
    assert from_files == from_store


def bundled_with(tmp_path: Path, name: str, text: str) -> Path:
    """The bundled files and one more."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    for path in Settings().bundled_data_dir.rglob("*.ttl"):
        (bundled / path.name).symlink_to(path)
    (bundled / name).write_text(text, encoding="utf-8")
    return bundled


LIBRARY = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
[] rdfs:label "ห้องสมุดประชาชนลอยฟ้า"@th .
"""


LABEL = {
    "p": ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    "o": ox.Literal("ห้องสมุดประชาชนลอยฟ้า", language="th"),
}


def found(settings: Settings, *texts: str) -> list[list[str]]:
    """The IRIs each text finds, after a start."""
    with TestClient(create_app(settings)) as client:
        answers = [client.get("/search", params={"q": t, "format": "json"}).json() for t in texts]
    return [[r["iri"] for r in answer["results"]] for answer in answers]


def start_fails(settings: Settings) -> str:
    try:
        create_app(settings)
    except RdfSyntaxError as exc:
        return exc.message
    raise AssertionError("the start did not fail")


def the_library(settings: Settings) -> str:
    """The name the store gives the library's blank node."""
    store = EmbeddedStore(settings.data_dir)
    try:
        rows = solutions(store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings=LABEL))
        return str(next(rows)["s"].value)
    finally:
        store.close()


def test_a_labelled_blank_node_is_found_by_the_name_the_store_gives_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Each parse names a blank node afresh: the start builds the index from the store."""
    bundled = bundled_with(tmp_path, "library.ttl", LIBRARY)
    settings = Settings(data_dir=tmp_path / "store", bundled_data_dir=bundled)
    with caplog.at_level(logging.INFO, logger="kgservice.search"):
        library = found(settings, "ห้องสมุดลอยฟ้า")
    gc.collect()
    assert "label blank nodes; built from the store" in caplog.text
    assert library == [[the_library(settings)]]


def test_a_first_start_stopped_by_a_broken_file_leaves_an_index_the_next_start_builds(
    tmp_path: Path,
) -> None:
    bundled = bundled_with(tmp_path, "zz-library.ttl", LIBRARY.replace(" .\n", " ;\n"))
    settings = Settings(data_dir=tmp_path / "store", bundled_data_dir=bundled)
    assert "zz-library.ttl" in start_fails(settings)
    gc.collect()
    assert settings.search_index_path is not None
    assert not (settings.search_index_path / STATE).exists()
    (bundled / "zz-library.ttl").write_text(LIBRARY.replace("[]", "<urn:x:library>"))
    library, road = found(settings, "ห้องสมุดลอยฟ้า", "ถนน คสล.")
    assert library == ["urn:x:library"]
    assert ROAD in road


def test_a_build_killed_beside_the_load_leaves_the_start_to_build_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """As when the machine's memory runs out and the kernel picks the build."""
    monkeypatch.setattr(first_start, "_build", lambda *_: os.kill(os.getpid(), signal.SIGKILL))
    settings = Settings(data_dir=tmp_path / "store")
    with caplog.at_level(logging.INFO, logger="kgservice.search"):
        (road,) = found(settings, "ถนน คสล.")
    assert "its build ended with -9; built from the store" in caplog.text
    assert ROAD in road
