"""The search index built from what a load streams, on a store that holds a whole load.

``python -m kgbench.search_streamed --store COPY_OF_A_STORE --index DIR`` hands the search feed
every statement of the index's predicates in the store's organisation graphs (what
``kgservice load`` feeds it batch by batch), then times the three parts of the build after
such a load: what the feed costs, what the load's process reads before it forks (the graphs
it did not write, the reference facts, the store's record), and the build the forked process
makes (``WholeBuild.run``), each in wall and CPU seconds.
"""

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgservice.bootstrap import sources
from kgservice.namespaces import SERVICE_GRAPHS, graph_iri
from kgservice.search.documents import LABELS, LINKS
from kgservice.search.index import SearchIndex
from kgservice.search.streamed import SearchFeed
from kgservice.search.upkeep import SearchUpkeep
from kgservice.settings import Settings
from kgservice.store import Store, solutions
from kgservice.store.embedded import EmbeddedStore

_OF_PREDICATE = "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def main() -> None:
    args = _arguments()
    settings = Settings(data_dir=args.store, search_index_dir=args.index, load_bundled_data=False)
    store = EmbeddedStore(args.store)
    figures: dict[str, Any] = {}
    try:
        loaded = _loaded_graphs(store, settings)
        feed = SearchFeed(settings)
        figures["feed"] = _feed(store, feed, loaded)
        figures |= timed_build(store, settings, feed, loaded)
    finally:
        store.close()
    print(json.dumps(figures, indent=2))


def timed_build(
    store: Store, settings: Settings, feed: SearchFeed, loaded: set[str]
) -> dict[str, Any]:
    """The build after a load of ``loaded`` that ``feed`` saw: the load's process before it
    forks, then the forked process's part (here, in this process)."""
    figures: dict[str, Any] = {}
    index = SearchIndex(settings.search_index_path)
    upkeep = SearchUpkeep(index, store, settings)
    streamed = feed.of(loaded)
    build, figures["before the fork"] = timed(
        lambda: upkeep.whole_build(loaded, whole=True, streamed=streamed)
    )
    index.close()
    assert build is not None, "the store holds more graphs besides those streamed"
    _, figures["build (forked process)"] = timed(build.run)
    figures["resources"] = SearchIndex(settings.search_index_path).searcher().num_docs
    return figures


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True, help="a copy of a loaded store")
    parser.add_argument("--index", type=Path, required=True, help="where to build the index")
    return parser.parse_args()


def _loaded_graphs(store: EmbeddedStore, settings: Settings) -> set[str]:
    """The graphs a load wrote: all but the bundled sources' and the service's own."""
    base = settings.base_iri
    kept = {s.graph for s in sources(settings)} | {graph_iri(base, n) for n in SERVICE_GRAPHS}
    return {g.value for g in store.graph_names()} - kept


def _feed(store: EmbeddedStore, feed: SearchFeed, loaded: set[str]) -> dict[str, float]:
    """Only ``feed.add`` is timed: the load holds its batches anyway."""
    wall = cpu = 0.0
    for predicate in (*LABELS, *LINKS):
        node = ox.NamedNode(predicate)
        rows = solutions(store.query(_OF_PREDICATE, bindings={"p": node}))
        quads = [ox.Quad(r["s"], node, r["o"], r["g"]) for r in rows if r["g"].value in loaded]
        _, spent = timed(lambda quads=quads: feed.add(quads))  # type: ignore[misc]
        wall, cpu = wall + spent["wall s"], cpu + spent["cpu s"]
    return {"wall s": round(wall, 1), "cpu s": round(cpu, 1)}


def timed(work: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    spent = {"wall s": time.perf_counter() - started, "cpu s": time.process_time() - cpu}
    return result, {k: round(v, 1) for k, v in spent.items()}


if __name__ == "__main__":
    main()
