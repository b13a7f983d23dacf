"""After any sequence of writes, what the incremental upkeep committed equals a recomputation of
the whole derived graph from scratch (hypothesis, bounded).

A write replaces one local government's graph, as a Graph Store PUT or DELETE does, with its
derived changes computed beforehand and committed with it (``upkeep.changes``). The contents are
variants of real submissions: as written; without the organisation's ``tp:jurisdiction`` (its
province then comes from its plan); without any ``tp:supports`` link (its projects become
orphans, strategies lose support); with its projects retitled as a project of a neighbour (title
twins appear within one district); or empty (the graph removed).
"""

from collections.abc import Callable

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from queries_support import FIXTURES, SETTINGS, TP, B, bundled_quads, copied, derived_triples

from kgservice.derived import upkeep
from kgservice.derived.facts import Replacement
from kgservice.namespaces import graph_iri
from kgservice.store import Store

SAMPLES = SETTINGS.bundled_data_dir / "sample"
SOURCES = {
    "lao-mun-400101": SAMPLES / "lao-mun-400101.ttl",
    "lao-sao-400102": SAMPLES / "lao-sao-400102.ttl",
    "lao-sao-400111": SAMPLES / "lao-sao-400111.ttl",
    "lao-sao-400103": FIXTURES / "lao-sao-400103.ttl",
}
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CCTV = ox.Literal("โครงการติดตั้งกล้องโทรทัศน์วงจรปิดในชุมชน", language="th")  # lao-mun-400101's project 3

Triples = list[ox.Triple]


def without(predicate: str) -> Callable[[Triples], Triples]:
    return lambda triples: [t for t in triples if t.predicate.value != predicate]


def retitled(triples: Triples) -> Triples:
    projects = {
        t.subject
        for t in triples
        if t.predicate.value.endswith("#type") and t.object.value == TP + "Project"
    }
    return [
        ox.Triple(t.subject, t.predicate, CCTV)
        if t.subject in projects and t.predicate.value == RDFS_LABEL and t.object.language == "th"  # type: ignore[union-attr]
        else t
        for t in triples
    ]


VARIANTS: dict[str, Callable[[Triples], Triples]] = {
    "as written": list,
    "no jurisdiction": without(TP + "jurisdiction"),
    "no supports": without(TP + "supports"),
    "retitled": retitled,
    "empty": lambda triples: [],
}


@pytest.fixture(scope="module")
def base() -> tuple[ox.Quad, ...]:
    return bundled_quads()


def content(org: str) -> Triples:
    return list(ox.parse(path=str(SOURCES[org]), format=ox.RdfFormat.TURTLE))


def commit(store: Store, org: str, triples: Triples) -> None:
    graphs = {graph_iri(B, org): triples}
    store.replace_graphs(graphs, then=upkeep.changes(store, SETTINGS, Replacement(graphs)))


writes = st.lists(
    st.tuples(st.sampled_from(sorted(SOURCES)), st.sampled_from(sorted(VARIANTS))),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=writes)
def test_incremental_upkeep_equals_recomputation_after_any_writes(
    base: tuple[ox.Quad, ...], sequence: list[tuple[str, str]]
) -> None:
    store = copied(base)
    for org, variant in sequence:
        commit(store, org, VARIANTS[variant](content(org)))
    incremental = derived_triples(store)
    upkeep.refresh(store, SETTINGS)
    assert incremental == derived_triples(store)
