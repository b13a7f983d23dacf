"""The search index a load builds from the statements it saw on the way is the one the store
would give: the same entries (labels, types, level, owner, areas) as read back from the store,
and the same answers as ``kgservice search-index --rebuild``."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.bulk import finish
from kgservice.cli import main
from kgservice.namespaces import graph_iri
from kgservice.search.documents import Entry, Reference, entries
from kgservice.search.streamed import SearchFeed
from kgservice.settings import Settings
from kgservice.store import Store, triples
from kgservice.store.embedded import EmbeddedStore

_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def loaded(data_dir: Path, files: list[Path]) -> None:
    paths = [str(f) for f in files]
    assert main(["load", *paths, "--by-organisation", "--on-violation", "keep",
                 "--data-dir", str(data_dir)]) in (0, 3)  # fmt: skip


def quads_of(store: Store, graph: str) -> list[ox.Quad]:
    found = triples(store.query(_GRAPH, bindings={"g": ox.NamedNode(graph)}))
    return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in found]


def by_key(found: list[Entry]) -> dict[tuple[str, str], Entry]:
    return {(e.graph, e.iri): e for e in found}


@pytest.mark.parametrize("unstreamed", [["ontology", "areas"], None])
def test_entries_from_the_statements_a_load_saw_are_those_the_store_gives(
    organisation_files: list[Path], data_dir: Path, unstreamed: list[str] | None
) -> None:
    loaded(data_dir, organisation_files)
    settings = Settings(data_dir=data_dir)
    store = EmbeddedStore(data_dir)
    try:
        reference = Reference.read(store)
        graphs = [g.value for g in store.graph_names()]
        kept = {graph_iri(settings.base_iri, n) for n in unstreamed or ()}
        # all but two graphs streamed, or one organisation's only (the rest then read whole)
        fed = [g for g in graphs if g not in kept] if unstreamed else [graphs[-1]]
        feed = SearchFeed(settings)
        for graph in fed:
            feed.add(quads_of(store, graph))
        streamed = feed.of(fed)
        from_store = by_key(list(entries(store, settings.base_iri, reference)))
        base = settings.base_iri
        from_load = by_key(list(entries(store, base, reference, streamed=streamed)))
    finally:
        store.close()
    assert len(from_store) > 1000
    assert from_load == from_store


def answers(data_dir: Path, text: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    capsys.readouterr()
    assert main(["search", text, "--limit", "100", "--data-dir", str(data_dir)]) == 0
    return set(capsys.readouterr().out.splitlines())


def test_a_load_that_builds_the_whole_index_answers_as_a_rebuild(
    organisation_files: list[Path],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(finish, "INCREMENTAL_LIMIT", 0)  # the index built whole after the load
    loaded(data_dir, organisation_files)
    texts = ["ขุดลอกคลอง", "ประปาหมู่บ้าน", "เทศบาลตำบล"]  # fewer than 100 each
    after_load = {text: answers(data_dir, text, capsys) for text in texts}
    assert main(["search-index", "--rebuild", "--data-dir", str(data_dir)]) == 0
    for text in texts:
        assert 2 < len(after_load[text]) < 100, text
        assert after_load[text] == answers(data_dir, text, capsys)
