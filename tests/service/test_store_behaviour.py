"""The same behaviour from both store backends: embedded pyoxigraph and a remote endpoint."""

import io

import pyoxigraph as ox
import pytest

from kgservice.errors import QuerySyntaxError, StoreUnavailable
from kgservice.query.prepare import PreparedQuery, prepare
from kgservice.settings import Settings
from kgservice.store import Store, open_store, union
from kgservice.store.base import Dataset

EX = "http://example.org/"
G1, G2 = f"{EX}graph/one", f"{EX}graph/two"


def nn(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def fill(store: Store) -> None:
    one = union.insert_data(G1, f'<{EX}a> <{EX}name> "เอ"@th ; <{EX}rank> 1 .')
    two = union.insert_data(G2, f'<{EX}b> <{EX}name> "B"@en ; <{EX}rank> 2 .')
    store.update(f"{one} ;\n{two}")


def subjects(store: Store, sparql: str | PreparedQuery, **kwargs: object) -> set[str]:
    return {row["s"].value for row in store.query(sparql, **kwargs)}  # type: ignore[arg-type,index,union-attr]


def test_the_default_graph_is_the_union_of_the_named_graphs(store: Store) -> None:
    fill(store)
    assert subjects(store, "SELECT ?s WHERE { ?s ?p ?o }") == {f"{EX}a", f"{EX}b"}


def test_named_graphs_stay_addressable(store: Store) -> None:
    fill(store)
    query = f"SELECT ?s WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}"
    assert subjects(store, query) == {f"{EX}b"}


def test_a_query_with_from_sees_only_that_graph(store: Store) -> None:
    fill(store)
    assert subjects(store, f"SELECT ?s FROM <{G1}> WHERE {{ ?s ?p ?o }}") == {f"{EX}a"}


def test_a_protocol_default_graph_replaces_the_union(store: Store) -> None:
    fill(store)
    query = prepare("SELECT ?s WHERE { ?s ?p ?o }")
    assert subjects(store, query, dataset=Dataset([G2])) == {f"{EX}b"}


def test_bindings_bind_a_variable_to_a_term(store: Store) -> None:
    fill(store)
    query = "SELECT ?s ?label WHERE { ?s ?name ?label }"
    found = subjects(store, query, bindings={"label": ox.Literal("B", language="en")})
    assert found == {f"{EX}b"}


def test_a_substituted_value_reaches_filters_in_nested_groups(store: Store) -> None:
    fill(store)
    query = f"""CONSTRUCT {{ ?s <{EX}in> ?g }} WHERE {{
      VALUES ?skip {{ UNDEF }}
      {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != ?skip) }} UNION {{ GRAPH ?g {{ ?s ?p ?s }} }}
    }}"""
    found = store.query(query, bindings={"s": nn("a"), "skip": ox.NamedNode(G2)})
    assert set(found) == {ox.Triple(nn("a"), nn("in"), ox.NamedNode(G1))}  # type: ignore[arg-type]


def test_ask_and_construct_come_back_as_pyoxigraph_results(store: Store) -> None:
    fill(store)
    assert bool(store.query(f"ASK {{ <{EX}a> ?p ?o }}")) is True
    triples = list(store.query(f"CONSTRUCT {{ ?s <{EX}seen> true }} WHERE {{ ?s <{EX}rank> 2 }}"))
    assert triples == [ox.Triple(nn("b"), nn("seen"), ox.Literal(True))]


def test_graphs_counts_triples_per_named_graph(store: Store) -> None:
    fill(store)
    assert store.graphs() == {G1: 2, G2: 2}


def test_replace_graphs_swaps_whole_graphs(store: Store) -> None:
    fill(store)
    store.replace_graphs({G1: [ox.Triple(nn("c"), nn("name"), ox.Literal("ซี"))]})
    assert subjects(store, f"SELECT ?s WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}") == {f"{EX}c"}
    assert store.graphs() == {G1: 1, G2: 2}


def test_replace_graphs_that_fails_part_way_changes_nothing(store: Store) -> None:
    fill(store)

    def broken() -> object:
        yield ox.Triple(nn("c"), nn("name"), ox.Literal("ซี"))
        raise OSError("the source went away")

    with pytest.raises(OSError):
        store.replace_graphs({G2: [], G1: broken()})  # type: ignore[dict-item]
    assert store.graphs() == {G1: 2, G2: 2}


def test_a_first_load_that_fails_part_way_adds_nothing(store: Store) -> None:
    def broken() -> object:
        yield ox.Triple(nn("c"), nn("name"), ox.Literal("ซี"))
        raise OSError("the source went away")

    with pytest.raises(OSError):
        store.replace_graphs({G1: broken()})  # type: ignore[dict-item]
    assert store.graphs() == {}


def test_replace_graphs_keeps_blank_node_structure(store: Store) -> None:
    node = ox.BlankNode()
    store.replace_graphs(
        {
            G1: [
                ox.Triple(nn("a"), nn("address"), node),
                ox.Triple(node, nn("city"), ox.Literal("ขอนแก่น")),
            ]
        }
    )
    query = f'SELECT ?s WHERE {{ ?s <{EX}address>/<{EX}city> "ขอนแก่น" }}'
    assert subjects(store, query) == {f"{EX}a"}


def test_bulk_insert_puts_each_quad_in_the_graph_it_names(store: Store) -> None:
    node = ox.BlankNode()
    g1, g2 = ox.NamedNode(G1), ox.NamedNode(G2)
    store.bulk_insert(
        [
            ox.Quad(nn("a"), nn("address"), node, g1),
            ox.Quad(node, nn("city"), ox.Literal("ขอนแก่น"), g1),
            ox.Quad(nn("b"), nn("name"), ox.Literal("B", language="en"), g2),
        ]
    )
    assert store.graphs() == {G1: 2, G2: 1}
    query = f'SELECT ?s WHERE {{ GRAPH <{G1}> {{ ?s <{EX}address>/<{EX}city> "ขอนแก่น" }} }}'
    assert subjects(store, query) == {f"{EX}a"}


def test_load_puts_triples_in_the_named_graph(store: Store) -> None:
    store.load(
        b"<http://example.org/d> <http://example.org/rank> 4 .",
        format=ox.RdfFormat.TURTLE,
        graph=G2,
    )
    assert store.graphs() == {G2: 1}


def test_dump_writes_the_dataset_as_n_quads(store: Store) -> None:
    fill(store)
    out = io.BytesIO()
    store.dump(out, format=ox.RdfFormat.N_QUADS)
    dumped = ox.Dataset(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert len(dumped) == 4
    assert ox.Quad(nn("a"), nn("rank"), ox.Literal(1), ox.NamedNode(G1)) in dumped


def test_dump_of_one_graph_writes_its_triples(store: Store) -> None:
    fill(store)
    out = io.BytesIO()
    store.dump(out, format=ox.RdfFormat.N_TRIPLES, graph=G2)
    triples = {q.triple for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_TRIPLES)}
    assert triples == {
        ox.Triple(nn("b"), nn("name"), ox.Literal("B", language="en")),
        ox.Triple(nn("b"), nn("rank"), ox.Literal(2)),
    }


def test_a_syntax_error_names_line_and_column(store: Store) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?s\nWHERE { ?s ?p }")
    assert caught.value.details["line"] == 2
    assert caught.value.details["column"] is not None


def test_an_update_syntax_error_changes_nothing(store: Store) -> None:
    fill(store)
    with pytest.raises(QuerySyntaxError):
        store.update(f"CLEAR GRAPH <{G1}> ; INSERT DATA {{ <{EX}x> }}")
    assert store.graphs() == {G1: 2, G2: 2}


def test_an_unreachable_remote_store_is_a_clear_error() -> None:
    store = open_store(Settings(store="remote", remote_query_url="http://127.0.0.1:9/query"))
    with pytest.raises(StoreUnavailable) as caught:
        store.graphs()
    assert "127.0.0.1:9" in caught.value.message


def test_a_replacement_takes_the_graph_from_what_it_holds_now(store: Store) -> None:
    fill(store)
    store.graph_triples(G1)  # a write reads the graph it replaces, then others may change it
    store.update(union.insert_data(G1, f"<{EX}a> <{EX}extra> 1 ."))
    kept = ox.Triple(nn("a"), nn("rank"), ox.Literal(1))
    store.replace_graphs({G1: [kept, ox.Triple(nn("a"), nn("rank"), ox.Literal(3))]})
    assert set(store.graph_triples(G1)) == {kept, ox.Triple(nn("a"), nn("rank"), ox.Literal(3))}
    ranks = store.query(f"SELECT ?o WHERE {{ <{EX}a> ?p ?o }}")
    assert {row["o"].value for row in ranks} == {"1", "3"}  # type: ignore[index,union-attr]


def test_graph_triples_reads_one_named_graph(store: Store) -> None:
    fill(store)
    assert set(store.graph_triples(G2)) == {
        ox.Triple(nn("b"), nn("name"), ox.Literal("B", language="en")),
        ox.Triple(nn("b"), nn("rank"), ox.Literal(2)),
    }
    assert store.graph_triples(f"{EX}graph/none") == []


def test_insert_adds_each_quad_to_the_graph_it_names(store: Store) -> None:
    fill(store)
    store.insert(
        [
            ox.Quad(nn("c"), nn("name"), ox.Literal("ซี", language="th"), ox.NamedNode(G1)),
            ox.Quad(nn("d"), nn("name"), ox.Literal("D"), ox.NamedNode(f"{EX}graph/three")),
        ]
    )
    assert store.graphs() == {G1: 3, G2: 2, f"{EX}graph/three": 1}
    assert ox.Triple(nn("c"), nn("name"), ox.Literal("ซี", language="th")) in set(
        store.graph_triples(G1)
    )
