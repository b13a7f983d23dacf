"""What a checkpoint (``Store.backup``) and a read-only opener cost and see, on a store of the
bundled data, in this process: ``python -m kgbench.runaway.snapshots [--store DIR]``; with
``--memory``, what writing a store in memory out for the workers costs after each write.

It writes into the store and deletes what it wrote at the end."""

import argparse
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kgbench.runaway import LABEL_QUERY, WORK
from kgbench.runaway.service import bundled_store
from kgservice.bootstrap import bootstrap
from kgservice.query.snapshots import Snapshots
from kgservice.settings import Settings
from kgservice.store import open_store, solutions
from kgservice.store.embedded import EmbeddedStore

GRAPH = "GRAPH <http://e/g>"
ONE, TWO = "<http://e/s> <http://e/p> 1", "<http://e/s> <http://e/p> 2"


def timed(step: Callable[[int], object], runs: int = 20) -> tuple[float, float]:
    """Median and maximum milliseconds of ``step(0)`` ... ``step(runs - 1)``."""
    ms = []
    for i in range(runs):
        start = time.perf_counter()
        step(i)
        ms.append((time.perf_counter() - start) * 1000)
    return statistics.median(ms), max(ms)


def asks(store: ox.Store, triple: str) -> bool:
    return bool(store.query(f"ASK {{ {GRAPH} {{ {triple} }} }}"))


def checkpoints(store: ox.Store, root: Path) -> None:
    """Checkpoints before and after a write, and what read-only openers of them and of the live
    store see."""
    print("backup ms (med,max)", timed(lambda i: store.backup(f"{root}/b{i}")))
    store.update(f"INSERT DATA {{ {GRAPH} {{ {ONE} }} }}")
    store.backup(f"{root}/after")
    old, new = ox.Store.read_only(f"{root}/b0"), ox.Store.read_only(f"{root}/after")
    print("old snapshot sees write:", asks(old, ONE), "new:", asks(new, ONE))


def live_reader(store: ox.Store, path: Path) -> None:
    """A read-only opener of the live store, before and after a write committed after it opened."""
    reader = ox.Store.read_only(str(path))
    print("read_only on primary sees committed write:", asks(reader, ONE))
    store.update(f"INSERT DATA {{ {GRAPH} {{ {TWO} }} }}")
    print("read_only opened before the 2nd write sees it:", asks(reader, TWO))


def opening_and_querying(store: ox.Store, root: Path) -> None:
    print("read_only open ms (med,max)", timed(lambda i: ox.Store.read_only(f"{root}/b{i}")))
    answer = timed(lambda i: list(solutions(store.query(LABEL_QUERY))), 200)
    print("light query in-process ms", answer)


def memory_copies(root: Path) -> None:
    """A write into a store in memory of the bundled data, then its copy for the workers."""
    settings = Settings(memory=True)
    store = open_store(settings)
    assert isinstance(store, EmbeddedStore)
    bootstrap(store, settings)
    snapshots = Snapshots(store, root)

    def written(i: int) -> None:
        store.update(f"INSERT DATA {{ {GRAPH} {{ <http://e/s> <http://e/p> {i} }} }}")
        snapshots.release(snapshots.take())

    print("write, then the memory store written out, ms (med,max)", timed(written, 10))
    snapshots.close()


def main(path: Path, root: Path) -> None:
    store = ox.Store(str(bundled_store(path)))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    checkpoints(store, root)
    live_reader(store, path)
    opening_and_querying(store, root)
    store.update(f"DELETE DATA {{ {GRAPH} {{ {ONE} . {TWO} }} }}")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.runaway.snapshots", description=__doc__)
    p.add_argument("--store", type=Path, default=WORK / "store", help="made when missing")
    p.add_argument("--snapshots", type=Path, default=WORK / "snapshots", help="emptied first")
    p.add_argument("--memory", action="store_true", help="a store in memory instead")
    return p.parse_args()


if __name__ == "__main__":
    args = arguments()
    if args.memory:
        memory_copies(args.snapshots)
    else:
        main(args.store, args.snapshots)
