"""The derived-data stage of a bulk load, alone: ``python -m kgbench.bulk_derived {whole|grouped}
STORE`` derives every graph of a loaded on-disk store (copy it first: the stage writes) into a
graph of its own, ``graph/derived-{way}``, and prints its wall time, CPU time and the process's
peak resident memory as JSON.

A graph of its own, so that the stored derived graph is not dropped first (on a national store
that drop is one update of millions of statements, not part of a load into an empty store).
``whole``: every fact read at once and derived whole, shares handed to the bulk loader as Python
quads, as the stage was before ``derived/grouped.py``; ``grouped``: as a load now runs it."""

import json
import resource
import sys
import time
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from kgservice.derived import grouped
from kgservice.derived.compute import derive
from kgservice.derived.facts import read_facts
from kgservice.derived.upkeep import _titles_outside
from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.store import Store
from kgservice.store.embedded import EmbeddedStore


def whole(store: Store, target: str) -> None:
    graph = ox.NamedNode(target)

    def write(triples: set[ox.Triple]) -> None:
        store.bulk_insert(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    facts = read_facts(store, None)
    derive(store, DEFAULT_BASE, None, outside=lambda keys: {}, facts=facts, sink=write)


def by_groups(store: Store, target: str) -> None:
    outside = partial(_titles_outside, store, target)
    grouped.derive_all(store, DEFAULT_BASE, target, None, outside=outside)


def main(argv: list[str]) -> int:
    way, where = argv[0], Path(argv[1])
    target = graph_iri(DEFAULT_BASE, f"derived-{way}")
    store = EmbeddedStore(where)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        {"whole": whole, "grouped": by_groups}[way](store, target)
        figures = {
            "way": way,
            "wall_s": round(time.perf_counter() - started, 1),
            "cpu_s": round(time.process_time() - cpu, 1),
            "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
            "derived_triples": store.graphs().get(target, 0),
        }
    finally:
        store.close()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
