"""A first start into Virtuoso through its own bulk loader (``KGSERVICE_VIRTUOSO_BULK_DIR``):
the bundled data and its derived data, as the embedded store holds them, with ``dba``'s password
changed from the default (the loader hands it to ``isql-vt`` on its standard input); the copy
of the set union, made inside Virtuoso after each batch (or after the last of a run of them),
holds a statement once however many graphs hold it."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import free_port, remote_settings, virtuoso_server
from queries_support import SETTINGS, bundled_store
from service_support import default_and_union

from kgservice.bootstrap import bootstrap
from kgservice.store import Store, open_store, union
from kgservice.store.virtuoso_bulk import GRAPHS_BY_INDEX

EX = "http://example.org/"
P = ox.NamedNode(f"{EX}p")
TOTAL = f"SELECT (COUNT(*) AS ?c) (SUM(?o) AS ?t) WHERE {{ ?s <{EX}p> ?o }}"


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    folder = tmp_path / "load"
    folder.mkdir()
    return folder


@pytest.fixture
def loading_store(tmp_path: Path, spool: Path) -> Iterator[Store]:
    """A Virtuoso store that loads through the bulk loader, ``dba``'s password changed."""
    sql_port = free_port()
    with virtuoso_server(tmp_path, sql_port=sql_port) as url:
        _set_dba_password(sql_port, "an0ther")
        settings = remote_settings(
            "virtuoso",
            url,
            virtuoso_bulk_dir=spool,
            virtuoso_sql_address=f"127.0.0.1:{sql_port}",
            virtuoso_dba_password="an0ther",
        )
        store = open_store(settings)
        yield store
        store.close()


def test_a_first_start_through_the_bulk_loader_holds_what_the_embedded_store_holds(
    loading_store: Store, spool: Path
) -> None:
    # A fresh server's own graphs are private: the start finds an empty store (and so
    # gathers the derived data's facts while loading, instead of reading them back).
    assert loading_store.graph_names() == []
    bootstrap(loading_store, SETTINGS.model_copy(update={"store": "remote"}))
    assert loading_store.graphs() == bundled_store().graphs()
    in_default, in_named = default_and_union(loading_store)
    assert in_default == in_named
    assert list(spool.iterdir()) == []  # each batch's file removed once loaded


def test_a_statement_two_graphs_hold_is_one_statement_of_the_copy(loading_store: Store) -> None:
    node = ox.BlankNode()
    g1, g2, g3 = (ox.NamedNode(f"{EX}g{n}") for n in (1, 2, 3))
    budget = (ox.NamedNode(f"{EX}s"), P, ox.Literal(10))
    loading_store.bulk_insert(
        [ox.Quad(*budget, g1), ox.Quad(node, P, ox.Literal(5), g1), ox.Quad(*budget, g2)]
    )
    assert _count_and_sum(loading_store) == (2, 15)
    other = (ox.NamedNode(f"{EX}t"), P, ox.Literal(1))
    loading_store.bulk_insert([ox.Quad(*budget, g3), ox.Quad(*other, g3)])
    assert _count_and_sum(loading_store) == (3, 16)
    in_default, in_named = default_and_union(loading_store)
    assert in_default == in_named
    # the copy holds the graph's blank node itself: dropping the graph takes it out
    loading_store.update(union.drop(g1.value))
    assert _count_and_sum(loading_store) == (2, 11)


def _count_and_sum(store: Store) -> tuple[int, int]:
    row = next(iter(store.query(TOTAL)))  # type: ignore[call-overload]
    return int(row["c"].value), int(row["t"].value)


def _set_dba_password(sql_port: int, password: str) -> None:
    sql = f"exec=USER_SET_PASSWORD('dba', '{password}');"
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", sql], check=True)


def test_a_batch_of_many_graphs_is_copied_whole_and_nothing_else(
    loading_store: Store,
) -> None:
    graphs = [ox.NamedNode(f"{EX}g{n}") for n in range(GRAPHS_BY_INDEX * 2 + 1)]
    shared = (ox.NamedNode(f"{EX}s"), P, ox.Literal(1))
    loading_store.bulk_insert(
        quad
        for n, graph in enumerate(graphs)
        for quad in (
            ox.Quad(*shared, graph),
            ox.Quad(ox.NamedNode(f"{EX}o{n}"), P, ox.Literal(2), graph),
        )
    )
    assert _count_and_sum(loading_store) == (len(graphs) + 1, 2 * len(graphs) + 1)
    in_default, in_named = default_and_union(loading_store)  # Virtuoso's own graphs left out
    assert in_default == in_named


def test_a_first_start_of_thousands_of_files_records_each_one(
    loading_store: Store, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for n in range(8_000):  # as a national start (7,929): one INSERT DATA of all is too large
        (data / f"part-{n}.ttl").write_text(f"<{EX}s{n}> <{EX}p> {n} .\n")
    settings = SETTINGS.model_copy(update={"store": "remote", "bundled_data_dir": data})
    assert len(bootstrap(loading_store, settings)) == 8_002  # with the ontology and shapes
    assert bootstrap(loading_store, settings) == []  # every checksum was recorded


def test_batches_filling_a_graph_enter_the_copy_together_after_the_last(
    loading_store: Store,
) -> None:
    node = ox.BlankNode()
    g1, g2 = (ox.NamedNode(f"{EX}g{n}") for n in (1, 2))
    budget = (ox.NamedNode(f"{EX}s"), P, ox.Literal(10))
    loading_store.bulk_insert([ox.Quad(*budget, g1)])
    with loading_store.bulk_batches():
        loading_store.bulk_insert([ox.Quad(*budget, g2), ox.Quad(node, P, ox.Literal(5), g2)])
        loading_store.bulk_insert([ox.Quad(ox.NamedNode(f"{EX}t"), P, ox.Literal(1), g2)])
        assert _count_and_sum(loading_store) == (1, 10)  # the copy waits for the last batch
    assert _count_and_sum(loading_store) == (3, 16)
    in_default, in_named = default_and_union(loading_store)
    assert in_default == in_named
    loading_store.update(union.drop(g2.value))  # the copy holds g2's blank node itself
    assert _count_and_sum(loading_store) == (1, 10)


def test_batches_of_a_block_that_failed_still_enter_the_copy(loading_store: Store) -> None:
    graph = ox.NamedNode(f"{EX}g1")
    with pytest.raises(RuntimeError), loading_store.bulk_batches():
        loading_store.bulk_insert([ox.Quad(ox.NamedNode(f"{EX}s"), P, ox.Literal(7), graph)])
        raise RuntimeError("the derivation failed half-way")
    assert _count_and_sum(loading_store) == (1, 7)
    in_default, in_named = default_and_union(loading_store)
    assert in_default == in_named
