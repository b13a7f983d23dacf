"""A first start into Virtuoso through its own bulk loader (``KGSERVICE_VIRTUOSO_BULK_DIR``):
the bundled data and its derived data, as the embedded store holds them."""

from pathlib import Path

from engines import free_port, remote_settings, virtuoso_server
from queries_support import SETTINGS, bundled_store

from kgservice.bootstrap import bootstrap
from kgservice.store import open_store


def test_a_first_start_through_the_bulk_loader_holds_what_the_embedded_store_holds(
    tmp_path: Path,
) -> None:
    sql_port, spool = free_port(), tmp_path / "load"
    spool.mkdir()
    with virtuoso_server(tmp_path, sql_port=sql_port) as url:
        settings = remote_settings(
            "virtuoso",
            url,
            virtuoso_bulk_dir=spool,
            virtuoso_sql_address=f"127.0.0.1:{sql_port}",
            virtuoso_dba_password="dba",
        )
        store = open_store(settings)
        bootstrap(store, SETTINGS.model_copy(update={"store": "remote"}))
        assert store.graphs() == bundled_store().graphs()
        assert list(spool.iterdir()) == []  # each batch's file removed once loaded
        store.close()
