"""The default graph is the set union of the named graphs, on the embedded store, on ``oxigraph
serve`` and on Virtuoso (whose own default graph is a bag: the union is kept in a graph of its
own there, ``store/virtuoso_union.py``): a triple held in two graphs is one triple of the union,
and it leaves the union only when no graph holds it."""

import io

import pyoxigraph as ox
import pytest
from engines import REMOTE_ENGINES
from service_support import default_and_union

from kgservice.store import Store, union

EX = "http://example.org/"
G1, G2, G3 = f"{EX}g1", f"{EX}g2", f"{EX}g3"
BUDGET = ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(10))
TOTAL = f"SELECT (COUNT(*) AS ?c) (SUM(?o) AS ?t) WHERE {{ ?s <{EX}p> ?o }}"


pytestmark = pytest.mark.parametrize("store_settings", ["embedded", *REMOTE_ENGINES], indirect=True)


def count_and_sum(store: Store) -> tuple[int, int]:
    row = next(iter(store.query(TOTAL)))  # type: ignore[call-overload]
    total = row["t"]  # Virtuoso: no SUM of no rows
    return int(row["c"].value), int(total.value) if total is not None else 0


def assert_union(store: Store) -> None:
    in_default, in_named = default_and_union(store)
    assert in_default == in_named


def test_a_statement_in_two_graphs_counts_once(store: Store) -> None:
    store.replace_graphs({G1: [BUDGET], G2: [BUDGET]})
    assert count_and_sum(store) == (1, 10)


def test_a_statement_stays_while_one_graph_holds_it(store: Store) -> None:
    store.replace_graphs({G1: [BUDGET], G2: [BUDGET]})
    store.replace_graphs({G1: []})
    assert count_and_sum(store) == (1, 10)
    store.replace_graphs({G2: []})
    assert count_and_sum(store) == (0, 0)


def test_written_one_graph_at_a_time_it_counts_once(store: Store) -> None:
    store.replace_graphs({G1: [BUDGET]})
    store.replace_graphs({G2: [BUDGET]})
    store.replace_graphs({G2: [BUDGET]})
    assert count_and_sum(store) == (1, 10)


def test_blank_nodes_are_copied_and_removed_with_their_graph(store: Store) -> None:
    node = ox.BlankNode()
    plan = [ox.Triple(node, ox.NamedNode(f"{EX}p"), ox.Literal(5)), BUDGET]
    store.replace_graphs({G1: plan, G2: [BUDGET]})
    assert count_and_sum(store) == (2, 15)
    assert_union(store)
    store.replace_graphs({G1: [BUDGET]})
    assert count_and_sum(store) == (1, 10)
    assert_union(store)


def test_insert_load_and_bulk_insert_add_to_the_union(store: Store) -> None:
    quad = ox.Quad(BUDGET.subject, BUDGET.predicate, BUDGET.object, ox.NamedNode(G1))
    store.insert([quad])
    store.bulk_insert([ox.Quad(BUDGET.subject, BUDGET.predicate, BUDGET.object, ox.NamedNode(G2))])
    store.load(
        io.BytesIO(f"<{EX}s> <{EX}p> 10, 20 . [] <{EX}p> 5 .".encode()),
        format=ox.RdfFormat.TURTLE,
        graph=G3,
    )
    assert count_and_sum(store) == (3, 35)
    assert_union(store)


def test_a_delete_from_one_graph_keeps_what_another_holds(store: Store) -> None:
    store.replace_graphs({G1: [BUDGET], G2: [BUDGET]})
    where = f"GRAPH <{G1}> {{ ?s ?p ?o }}"
    store.update(union.delete(G1, "?s ?p ?o", where))
    assert count_and_sum(store) == (1, 10)
    store.update(union.delete(G2, "?s ?p ?o", f"GRAPH <{G2}> {{ ?s ?p ?o }}"))
    assert count_and_sum(store) == (0, 0)


def test_an_insert_from_a_query_adds_to_the_union(store: Store) -> None:
    store.replace_graphs({G1: [BUDGET]})
    template = f"?s <{EX}p> 20"
    store.update(union.insert(G2, template, f"GRAPH <{G1}> {{ ?s <{EX}p> 10 }}"))
    store.update(union.insert_data(G3, f"<{EX}s> <{EX}p> 20 ."))
    assert count_and_sum(store) == (2, 30)
    assert_union(store)


def test_a_store_without_the_copy_gets_it_once(store: Store) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {BUDGET} }} GRAPH <{G2}> {{ {BUDGET} }} }}")
    assert count_and_sum(store) == (0, 0)  # as a store written before the copy existed
    union.ensure(store)
    assert count_and_sum(store) == (1, 10)
    assert_union(store)


def test_a_dump_of_the_dataset_holds_only_the_named_graphs(store: Store) -> None:
    store.replace_graphs({G1: [BUDGET], G2: [BUDGET]})
    output = io.BytesIO()
    store.dump(output, format=ox.RdfFormat.N_QUADS)
    graphs = {q.graph_name for q in ox.parse(output.getvalue(), format=ox.RdfFormat.N_QUADS)}
    assert graphs == {ox.NamedNode(G1), ox.NamedNode(G2)}


def test_a_graph_with_blank_nodes_written_again_holds_them_once(store: Store) -> None:
    node = ox.BlankNode()
    plan = [ox.Triple(node, ox.NamedNode(f"{EX}p"), ox.Literal(5)), BUDGET]
    store.replace_graphs({G1: plan})
    store.replace_graphs({G1: plan})
    assert store.graphs() == {G1: 2}
    assert count_and_sum(store) == (2, 15)
    assert_union(store)
