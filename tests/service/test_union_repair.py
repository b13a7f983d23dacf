"""An on-disk store whose bulk insert was killed half-way is put right when it is next opened: its
default graph ends up the set union of the named graphs, with no triple more and none less."""

from pathlib import Path

import pyoxigraph as ox
from service_support import default_and_union

from kgservice.settings import Settings
from kgservice.store import open_store

EX = "http://example.org/"
HELD = ox.Quad(
    ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(1), ox.NamedNode(EX + "g")
)
STRAY = ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(2), ox.DefaultGraph())
OWED = "kgservice-union-owed"
"""The file ``EmbeddedStore.bulk_insert`` leaves behind when it is killed."""


def killed_bulk_insert(directory: Path) -> None:
    """What a kill can leave: a named quad whose copy was not written, a copy whose quad was
    not (the bulk loader writes its chunks in parallel), and the file saying so."""
    raw = ox.Store(str(directory))
    raw.extend([HELD, STRAY])
    raw.flush()
    del raw  # closed, and its lock let go
    (directory / OWED).touch()


def test_the_next_opening_puts_the_default_graph_right(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    killed_bulk_insert(directory)
    store = open_store(Settings(data_dir=directory, load_bundled_data=False))
    try:
        in_default, in_named = default_and_union(store)
        assert (
            in_default
            == in_named
            == [(f"<{EX}s>", f"<{EX}p>", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')]
        )
    finally:
        store.close()
    assert not (directory / OWED).exists()
