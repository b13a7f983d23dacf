"""What ``kgservice search-index --rebuild`` does, over a store opened read-only.

``python -m kgbench.search_rebuild STORE DIR`` builds the index of ``STORE`` in
``DIR`` from nothing, reading the store as the command does, and prints the wall and CPU
seconds. Opened read-only, a national store (6 GB) need not be copied to be measured; it must
hold its union copy (``kgservice.store.union``), as a store any recent start has opened does.
"""

import argparse
import json
import time
from pathlib import Path

import pyoxigraph as ox

from kgservice.search import SearchIndex, SearchUpkeep
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore


def main() -> None:
    args = _arguments()
    settings = Settings(data_dir=args.store, search_index_dir=args.index, load_bundled_data=False)
    store = EmbeddedStore(None)
    store._store = ox.Store.read_only(str(args.store))  # the rest of the object as it is
    index = SearchIndex(settings.search_index_path)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        SearchUpkeep(index, store, settings).rebuild()
    finally:
        index.close()
    spent = {"wall s": time.perf_counter() - started, "cpu s": time.process_time() - cpu}
    figures = {k: round(v, 1) for k, v in spent.items()}
    figures["resources"] = SearchIndex(settings.search_index_path).searcher().num_docs
    print(json.dumps(figures, indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store", type=Path, help="a store on disk, with its union copy")
    parser.add_argument("index", type=Path, help="where to build the index")
    return parser.parse_args()


if __name__ == "__main__":
    main()
