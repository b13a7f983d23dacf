"""``kgservice export``: the whole dataset (N-Quads or TriG) or one graph, to stdout."""

import argparse
import sys

import pyoxigraph as ox

from kgservice.cli.common import add_store_options, settings_from
from kgservice.errors import NotFound
from kgservice.store import open_store

FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
GRAPH_FORMATS = {"nquads": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TURTLE}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="write the dataset or one graph to stdout",
        description="Write every named graph as N-Quads or TriG, or one graph as N-Triples or "
        "Turtle (--graph), to stdout.",
    )
    p.add_argument("--graph", metavar="IRI", help="only this named graph")
    p.add_argument("--format", choices=sorted(FORMATS), default="nquads")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    store = open_store(settings_from(args))
    try:
        if args.graph and args.graph not in store.graphs():
            raise NotFound(f"ไม่มีกราฟ {args.graph} (no graph named {args.graph})")
        formats = GRAPH_FORMATS if args.graph else FORMATS
        store.dump(sys.stdout.buffer, format=formats[args.format], graph=args.graph)
        sys.stdout.buffer.flush()
    finally:
        store.close()
    return 0
