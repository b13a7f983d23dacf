"""A first start into Virtuoso through its own bulk loader (``KGSERVICE_VIRTUOSO_BULK_DIR``):
the bundled data and its derived data, as the embedded store holds them, with ``dba``'s password
changed from the default (the loader hands it to ``isql-vt`` on its standard input)."""

import subprocess
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
        _set_dba_password(sql_port, "an0ther")
        settings = remote_settings(
            "virtuoso",
            url,
            virtuoso_bulk_dir=spool,
            virtuoso_sql_address=f"127.0.0.1:{sql_port}",
            virtuoso_dba_password="an0ther",
        )
        store = open_store(settings)
        # A fresh server's own graphs are private: the start finds an empty store (and so
        # gathers the derived data's facts while loading, instead of reading them back).
        assert store.graph_names() == []
        bootstrap(store, SETTINGS.model_copy(update={"store": "remote"}))
        assert store.graphs() == bundled_store().graphs()
        assert list(spool.iterdir()) == []  # each batch's file removed once loaded
        store.close()


def _set_dba_password(sql_port: int, password: str) -> None:
    sql = f"exec=USER_SET_PASSWORD('dba', '{password}');"
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", sql], check=True)
