"""The search index a first start builds, alone: without the load and the derived data.

``python -m kgbench.search_first_start --data DIR --index DIR`` takes a folder of bundled data
(as ``KGSERVICE_BUNDLED_DATA_DIR``; the national one holds one file per organisation) and does
here, in this process and at its priority, what a first start's forked process does
(``kgservice.search.first_start``): parse every source's files and note what the index needs of
them, then build the index. Prints each part's wall and CPU seconds.
"""

import argparse
import json
from pathlib import Path

from kgbench.search_streamed import timed
from kgservice.bootstrap import _parse, sources
from kgservice.search.first_start import FileFeed
from kgservice.search.index import SearchIndex
from kgservice.settings import Settings


def main() -> None:
    args = _arguments()
    settings = Settings(memory=True, bundled_data_dir=args.data, search_index_dir=args.index)
    feed = FileFeed(settings)
    _, read = timed(lambda: _read(feed, settings))
    index = SearchIndex(args.index)
    try:
        _, build = timed(lambda: index.fill(feed.entries(settings.base_iri)))
        resources = index.searcher().num_docs
    finally:
        index.close()
    figures = {"files read": read, "build": build, "resources": resources}
    print(json.dumps(figures, indent=2))


def _read(feed: FileFeed, settings: Settings) -> None:
    for source in sources(settings):
        feed.read(source.graph, _parse(source.files, lenient=True))  # as the start hands it


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="a bundled-data folder")
    parser.add_argument("--index", type=Path, required=True, help="where to build the index")
    return parser.parse_args()


if __name__ == "__main__":
    main()
