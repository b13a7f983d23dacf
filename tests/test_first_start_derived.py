"""A first start computes the derived graph from the facts it gathers while loading an empty
store; the result is what a full refresh reading the store gives, and a store that already held
graphs is derived from the store, those graphs included."""

from queries_support import FIXTURES, SETTINGS, TP, B, bundled_store, derived_triples, load_file

from kgservice.bootstrap import bootstrap
from kgservice.derived import upkeep
from kgservice.store.embedded import EmbeddedStore

SUBMISSION = FIXTURES / "lao-sao-400103.ttl"


def predicates(triples: set[tuple[str, str, str]]) -> set[str]:
    return {p.removeprefix(f"<{TP}").removesuffix(">") for _, p, _ in triples}


def test_a_first_start_derives_what_a_full_refresh_from_the_store_does() -> None:
    store = bundled_store()
    first = derived_triples(store)
    upkeep.refresh(store, SETTINGS)
    assert derived_triples(store) == first
    kinds = {"contributesTo", "normalisedTitle", "projectCount", "summaryAmount", "inProvince"}
    assert kinds <= predicates(first)


def test_a_first_start_on_a_store_that_holds_a_graph_derives_that_graph_too() -> None:
    store = EmbeddedStore(None)
    graph = load_file(store, SUBMISSION)
    bootstrap(store, SETTINGS)
    first = derived_triples(store)
    project = f"<{B}plan/lao-sao-400103-2566-2570/project/1>"
    assert (project, f"<{TP}sourceGraph>", f"<{graph}>") in first
    upkeep.refresh(store, SETTINGS)
    assert derived_triples(store) == first
