"""``kgservice search-index [--rebuild]``: bring the search index up to date with the store, or
build it again from nothing."""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from kgservice.cli.common import add_store_options, settings_from
from kgservice.search import SearchIndex, SearchUpkeep
from kgservice.store import open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search-index", help="update or rebuild the search index")
    p.add_argument("--rebuild", action="store_true", help="build the index again from the store")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with searchable(args) as upkeep:
        if args.rebuild:
            upkeep.rebuild()
            print(f"rebuilt: {upkeep.index.searcher().num_docs} resources")
        else:
            changed = upkeep.catch_up()
            print(f"up to date: {len(changed)} graphs read again")
    return 0


@contextmanager
def searchable(args: argparse.Namespace) -> Iterator[SearchUpkeep]:
    """The store of the command's options and its search index, closed afterwards."""
    settings = settings_from(args)
    store = open_store(settings)
    index = SearchIndex(settings.search_index_path)
    try:
        yield SearchUpkeep(index, store, settings)
    finally:
        index.close()
        store.close()
