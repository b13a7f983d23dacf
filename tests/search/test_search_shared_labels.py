"""A build analyses each label text once and makes the lists entries share (types with their
superclasses, area chains) once per value: resources with the same label are each found, with
their own type, owner and area. A whole rebuild reads the store a predicate at a time, a write's
graphs are read one by one: both index the same."""

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kgservice.namespaces import TP, graph_iri
from kgservice.search import SearchIndex, SearchUpkeep
from kgservice.search.query import Filters, search, suggest
from kgservice.settings import Settings
from kgservice.store import Store, open_store

EX = "https://example.org/"
ONTOLOGY = f"<{TP}Project> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{TP}Work> ."
AREAS = f"""
<{EX}north> a <{TP}Province> . <{EX}south> a <{TP}Province> .
<{EX}town> <{TP}withinArea> <{EX}north> .
"""
ROAD = "<http://www.w3.org/2000/01/rdf-schema#label>"
GRAPHS = {
    "a": f"""<{EX}a> a <{TP}Project> ; {ROAD} "ถนน หมู่ที่ ๕"@th ;
               <{TP}ownedBy> <{EX}org-a> ; <{TP}coversArea> <{EX}town> .""",
    "b": f"""<{EX}b> a <{TP}Bridge> ; {ROAD} "ถนน หมู่ที่ ๕"@th ;
               <{TP}ownedBy> <{EX}org-b> ; <{TP}coversArea> <{EX}south> .
             <{EX}b2> a <{TP}Bridge> ; {ROAD} "ถนน หมู่ที่ ๕"@th .""",
    "c": f"""<{EX}c> a <{TP}Project> ; {ROAD} "ถนน  หมู่ที่ 5"@th .""",
}


@pytest.fixture
def store() -> Iterator[Store]:
    settings = Settings(memory=True, load_bundled_data=False)
    store = open_store(settings)
    for name, turtle in {"ontology": ONTOLOGY, "areas": AREAS, **GRAPHS}.items():
        graph = graph_iri(settings.base_iri, name)
        store.load(turtle.encode(), format=ox.RdfFormat.TURTLE, graph=graph)
    yield store
    store.close()


def built(store: Store, *, whole: bool) -> SearchIndex:
    settings = Settings(memory=True, load_bundled_data=False)
    upkeep = SearchUpkeep(SearchIndex(None), store, settings)
    if whole:
        upkeep.rebuild()
    else:
        upkeep.written([graph_iri(settings.base_iri, name) for name in GRAPHS], "urn:write")
    return upkeep.index


def found(index: SearchIndex, filters: Filters | None = None) -> dict[str, tuple[str, str, str]]:
    hits = search(index, "ถนน หมู่ที่ 5", filters=filters or Filters(), limit=10).hits
    return {h.iri[len(EX) :]: (h.types[0][len(TP) :], h.owner, h.province) for h in hits}


def test_resources_with_the_same_label_are_each_found_with_their_own_facts(store: Store) -> None:
    index = built(store, whole=True)
    assert found(index) == {
        "a": ("Project", f"{EX}org-a", f"{EX}north"),
        "b": ("Bridge", f"{EX}org-b", f"{EX}south"),
        "b2": ("Bridge", "", ""),
        "c": ("Project", "", ""),
    }
    assert set(found(index, Filters(types=(f"{TP}Work",)))) == {"a", "c"}
    assert set(found(index, Filters(within=f"{EX}north"))) == {"a"}


def test_a_label_with_thai_digits_is_suggested_once(store: Store) -> None:
    assert [text for _, text in suggest(built(store, whole=True), "ถนนหมู่")] in (
        ["ถนน หมู่ที่ ๕"],
        ["ถนน  หมู่ที่ 5"],
    )


def test_a_rebuild_indexes_what_graph_by_graph_reading_does(store: Store) -> None:
    assert found(built(store, whole=True)) == found(built(store, whole=False))
