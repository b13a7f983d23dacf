"""The search index a first start builds, alone: without the load and the derived data.

``python -m kgbench.search_first_start --data DIR --index DIR`` takes a folder of bundled data
(as ``KGSERVICE_BUNDLED_DATA_DIR``; the national one holds one file per organisation). Every
file not named ``lao-*`` goes into an in-memory store as a first start would load it; the
organisations' files are only parsed and handed to the search feed statement by statement, as
a first start hands it what it loads. Then it times what the first start's process does before
it forks (``SearchUpkeep.whole_build``) and the build the forked process makes
(``WholeBuild.run``), here in this process, each in wall and CPU seconds. The parse is not
timed; the feed is.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgbench.search_streamed import timed_build
from kgservice.bootstrap import bootstrap
from kgservice.namespaces import graph_iri
from kgservice.search.streamed import SearchFeed
from kgservice.settings import Settings
from kgservice.store import open_store

ORGANISATIONS = "lao-*.ttl"


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory() as bundled:
        settings = _settings(args.data, Path(bundled), args.index)
        store = open_store(settings)
        bootstrap(store, settings)
        feed = SearchFeed(settings)
        loaded, figures = _feed(feed, settings.base_iri, sorted(args.data.glob(ORGANISATIONS)))
        figures |= timed_build(store, settings, feed, loaded)
        store.close()
    print(json.dumps(figures, indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="a bundled-data folder")
    parser.add_argument("--index", type=Path, required=True, help="where to build the index")
    return parser.parse_args()


def _settings(data: Path, bundled: Path, index: Path) -> Settings:
    """An in-memory store whose bundled data is ``data``'s files but the organisations'."""
    for path in data.glob("*.ttl"):
        if not path.match(ORGANISATIONS):
            (bundled / path.name).symlink_to(path.resolve())
    return Settings(memory=True, bundled_data_dir=bundled, search_index_dir=index)


def _feed(feed: SearchFeed, base: str, files: list[Path]) -> tuple[set[str], dict[str, Any]]:
    """Only ``feed.see`` is timed: a first start parses the files anyway."""
    wall = cpu = 0.0
    loaded, statements = set(), 0
    for path in files:
        graph = ox.NamedNode(graph_iri(base, path.stem))
        loaded.add(graph.value)
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
        ]
        statements += len(quads)
        started, spent = time.perf_counter(), time.process_time()
        for quad in quads:
            feed.see(quad)
        wall += time.perf_counter() - started
        cpu += time.process_time() - spent
    feed_figures = {"wall s": round(wall, 1), "cpu s": round(cpu, 1)}
    return loaded, {"statements": statements, "feed": feed_figures}


if __name__ == "__main__":
    main()
