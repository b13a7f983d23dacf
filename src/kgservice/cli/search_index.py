"""``kgservice search-index [--rebuild]``: bring the search index up to date with the store, or
build it again from nothing."""

import argparse

from kgservice.cli.common import add_store_options, settings_from
from kgservice.search import SearchIndex, SearchUpkeep
from kgservice.store import open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search-index", help="update or rebuild the search index")
    p.add_argument("--rebuild", action="store_true", help="build the index again from the store")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    index = SearchIndex(settings.search_index_path)
    try:
        upkeep = SearchUpkeep(index, store, settings)
        if args.rebuild:
            upkeep.rebuild()
            print(f"rebuilt: {index.searcher().num_docs} resources")
        else:
            changed = upkeep.catch_up()
            print(f"up to date: {len(changed)} graphs read again")
    finally:
        index.close()
        store.close()
    return 0
