"""``kgservice info``: graphs, triple counts, store location."""

import argparse

from kgservice.cli.common import add_store_options, settings_from
from kgservice.store import open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("info", help="graphs, triple counts and where the store is")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    try:
        graphs = store.graphs()
    finally:
        store.close()
    print(f"store: {settings.store} ({store.location})")
    for name, count in sorted(graphs.items()):
        print(f"{count:>10}  {name}")
    print(f"{sum(graphs.values()):>10}  triples in {len(graphs)} graphs")
    return 0
