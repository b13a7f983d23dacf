"""``kgservice search TEXT``: the best matches of the word index, one per line."""

import argparse

from kgservice.cli.common import add_store_options
from kgservice.cli.search_index import searchable
from kgservice.search.query import MAX_LIMIT, search


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("search", help="Thai and English full-text search of the labels")
    p.add_argument("text", help="the words to look for")
    p.add_argument("--limit", type=int, default=20, choices=range(1, MAX_LIMIT + 1), metavar="N")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with searchable(args) as upkeep:
        upkeep.catch_up()
        results = search(upkeep.index, args.text, limit=args.limit)
    print(f"{results.total} found")
    for hit in results.hits:
        print(f"{hit.score:>9.3f}  {hit.iri}  {hit.label}")
    return 0
