"""Whether a process holding a pyoxigraph store in memory can be forked to run a query in the
child while other threads read it (and, with ``--writer``, write it):
``python -m kgbench.runaway.fork_probe [--triples N] [--forks N] [--writer]``.

Each child counts the store's quads and writes the count to a pipe; a child with no answer after
5 s is counted as hung and killed."""

import argparse
import os
import select
import statistics
import threading
import time
from collections.abc import Callable

import pyoxigraph as ox

EX = "http://e/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def filled(triples: int) -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(
            ox.NamedNode(f"{EX}s{i}"),
            ox.NamedNode(f"{EX}p{i % 7}"),
            ox.Literal(str(i)),
            ox.NamedNode(f"{EX}g{i % 5}"),
        )
        for i in range(triples)
    )
    return store


def counted(store: ox.Store) -> str:
    solutions = store.query(COUNT, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return str(next(solutions)[0])


def busy(store: ox.Store, writer: bool, stop: threading.Event) -> list[threading.Thread]:
    def read() -> None:
        while not stop.is_set():
            counted(store)

    def write() -> None:
        i = 0
        while not stop.is_set():
            store.update(f"INSERT DATA {{ GRAPH <{EX}w> {{ <{EX}w{i}> <{EX}p> {i} }} }}")
            i += 1

    work: list[Callable[[], None]] = [read, read, *([write] if writer else [])]
    threads = [threading.Thread(target=step) for step in work]
    for thread in threads:
        thread.start()
    return threads


def forked_answer(store: ox.Store) -> tuple[bool, float]:
    """Whether a forked child answered, and the milliseconds ``fork`` took."""
    readable, writable = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.write(writable, counted(store).encode())
        os._exit(0)
    fork_ms = (time.perf_counter() - start) * 1000
    os.close(writable)
    answered = bool(select.select([readable], [], [], 5)[0])
    if not answered:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(readable)
    return answered, fork_ms


def main(args: argparse.Namespace) -> None:
    store = filled(args.triples)
    stop = threading.Event()
    threads = busy(store, args.writer, stop)
    outcomes = [forked_answer(store) for _ in range(args.forks)]
    stop.set()
    for thread in threads:
        thread.join()
    hung = sum(1 for answered, _ in outcomes if not answered)
    fork_ms = statistics.median(ms for _, ms in outcomes)
    print(f"{hung} of {args.forks} children hung; fork p50 {fork_ms:.1f} ms")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.runaway.fork_probe", description=__doc__)
    p.add_argument("--triples", type=int, default=200_000)
    p.add_argument("--forks", type=int, default=300)
    p.add_argument("--writer", action="store_true", help="one thread writes meanwhile")
    return p.parse_args()


if __name__ == "__main__":
    main(arguments())
