"""A remote store's version token is read on one connection kept open (``store/remote.py``,
``store/remote_connection.py``): each read still sees every write committed before it was
asked for, another process's too, and a connection the server closed is made again."""

from pathlib import Path

import pytest
from engines import REMOTE_ENGINES, free_port, oxigraph_server, remote_settings

from kgservice.errors import StoreUnavailable
from kgservice.settings import Settings
from kgservice.store import open_store
from kgservice.store.base import Store


def write(store: Store) -> None:
    """A write as every write through the service ends: a new version token."""
    store.update(" ;\n".join(store.version_change()))


@pytest.mark.parametrize("store_settings", REMOTE_ENGINES, indirect=True)
def test_each_read_sees_the_other_process_s_writes_committed_before_it(
    store_settings: Settings,
) -> None:
    reader, writer = open_store(store_settings), open_store(store_settings)
    try:
        first = reader.version
        assert reader.version == first  # no write: the same version, read again
        for round_ in range(1, 4):
            write(writer)
            assert reader.version == first + round_
    finally:
        reader.close()
        writer.close()


def test_a_read_after_the_server_restarted_is_answered_on_a_new_connection(
    tmp_path: Path,
) -> None:
    port, location = free_port(), tmp_path / "store"
    with oxigraph_server(location, port) as url:
        settings = remote_settings("oxigraph", url)
        reader = open_store(settings)
        first = reader.version
    with oxigraph_server(location, port):  # the kept connection went with the old server
        writer = open_store(settings)
        write(writer)
        writer.close()
        assert reader.version == first + 1
    with pytest.raises(StoreUnavailable):
        _ = reader.version  # the server is down: the reader is told so
    reader.close()
