"""After any sequence of writes, what the incremental upkeep committed equals a recomputation of
the whole derived graph from scratch (hypothesis, bounded).

A write replaces one local government's graph, as a Graph Store PUT or DELETE does, with its
derived changes computed beforehand and committed with it (``upkeep.changes``). The contents are
variants of real submissions: as written; without the organisation's ``tp:jurisdiction`` (its
province then comes from its plan); without any ``tp:supports`` link (its projects become
orphans, strategies lose support); with its projects retitled as a project of a neighbour (title
twins appear within one district); or empty (the graph removed). Or an office's edit of a few
rows, which the upkeep derives from the rows it changes (``kgservice.derived.edits``): the first
project retitled, its first budget doubled or moved to a year outside the plan, the project
dropped, a project added beside it, an indicator's target value left out.
"""

from collections.abc import Callable

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from queries_support import FIXTURES, SETTINGS, TP, B, bundled_quads, copied, derived_triples

from kgservice.derived import edits, upkeep
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


def first(triples: Triples, predicate: str) -> ox.Triple:
    return min((t for t in triples if t.predicate.value == TP + predicate), key=str)


def first_project(triples: Triples) -> ox.NamedNode:
    return min((t.subject for t in triples if t.object == ox.NamedNode(TP + "Project")), key=str)  # type: ignore[return-value]


def replaced(triples: Triples, old: ox.Triple, new: ox.Triple) -> Triples:
    return [new if t == old else t for t in triples]


def one_retitled(triples: Triples) -> Triples:
    project = first_project(triples)
    label = next(t for t in triples if t.subject == project and t.predicate.value == RDFS_LABEL)
    return replaced(triples, label, ox.Triple(project, label.predicate, CCTV))


def one_budget_doubled(triples: Triples) -> Triples:
    amount = first(triples, "amount")
    doubled = ox.Literal(str(2 * float(amount.object.value)), datatype=amount.object.datatype)  # type: ignore[union-attr]
    return replaced(triples, amount, ox.Triple(amount.subject, amount.predicate, doubled))


def one_budget_late(triples: Triples) -> Triples:
    year = first(triples, "fiscalYear")
    later = ox.Literal(str(int(year.object.value) + 10), datatype=year.object.datatype)  # type: ignore[union-attr]
    return replaced(triples, year, ox.Triple(year.subject, year.predicate, later))


def one_project_dropped(triples: Triples) -> Triples:
    project = first_project(triples)
    parts = {t.object for t in triples if t.subject == project} - {ox.NamedNode(TP + "Project")}
    gone = {project} | {p for p in parts if isinstance(p, ox.NamedNode) and "/project/" in p.value}
    return [t for t in triples if t.subject not in gone and t.object != project]


def one_project_added(triples: Triples) -> Triples:
    project = first_project(triples)
    copy = project.value.rsplit("/", 1)[0] + "/999"

    def renamed(
        term: ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.NamedNode) and term.value.startswith(project.value + "/"):
            return ox.NamedNode(copy + term.value.removeprefix(project.value))
        return ox.NamedNode(copy) if term == project else term

    own = {project.value} | {
        t.object.value
        for t in triples
        if t.subject == project and isinstance(t.object, ox.NamedNode)
    }
    added = [
        ox.Triple(renamed(t.subject), t.predicate, renamed(t.object))  # type: ignore[arg-type]
        for t in triples
        if t.subject.value in own and t.subject.value.startswith(project.value)
    ]
    return [*triples, *added]


def one_indicator_without_target(triples: Triples) -> Triples:
    target = first(triples, "targetValue")
    return [t for t in triples if t != target]


EDITS: dict[str, Callable[[Triples], Triples]] = {
    "one retitled": one_retitled,
    "one budget doubled": one_budget_doubled,
    "one budget late": one_budget_late,
    "one project dropped": one_project_dropped,
    "one project added": one_project_added,
    "one indicator without target": one_indicator_without_target,
}

VARIANTS: dict[str, Callable[[Triples], Triples]] = {
    "as written": list,
    "no jurisdiction": without(TP + "jurisdiction"),
    "no supports": without(TP + "supports"),
    "retitled": retitled,
    "empty": lambda triples: [],
    **EDITS,
}


@pytest.fixture(scope="module")
def base() -> tuple[ox.Quad, ...]:
    return bundled_quads()


def content(org: str) -> Triples:
    return [q.triple for q in ox.parse(path=str(SOURCES[org]), format=ox.RdfFormat.TURTLE)]


def commit(store: Store, org: str, triples: Triples) -> None:
    graphs = {graph_iri(B, org): triples}
    store.replace_graphs(graphs, then=upkeep.changes(store, SETTINGS, Replacement(graphs)))


writes = st.lists(
    st.tuples(st.sampled_from(sorted(SOURCES)), st.sampled_from(sorted(VARIANTS))),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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


@pytest.mark.parametrize("org", ["lao-mun-400101", "lao-sao-400102", "lao-sao-400111"])
@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_of_a_few_rows_is_derived_from_them_as_from_scratch(
    base: tuple[ox.Quad, ...], org: str, name: str
) -> None:
    store = copied(base)
    graph = graph_iri(B, org)
    new = EDITS[name](content(org))
    edit = edits.edit_of(store, Replacement({graph: new}))
    assert edit is not None and len(edit.within.elements) <= 2
    commit(store, org, new)
    incremental = derived_triples(store)
    upkeep.refresh(store, SETTINGS)
    assert incremental == derived_triples(store)
