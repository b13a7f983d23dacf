"""``kgservice bench`` and ``kgservice generate``: the benchmark harness and the data generator,
which live in their own package (``kgbench``) and are imported only when one of them runs."""

import argparse
from collections.abc import Sequence

HARNESS = {
    "bench": "benchmark the service on a generated country of plans",
    "generate": "write a synthetic country of plans (one N-Triples file per organisation)",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Listed in ``kgservice --help``; their own options are the harness's to parse (``run``)."""
    for name, summary in HARNESS.items():
        sub.add_parser(name, help=summary, add_help=False)


def run(arguments: Sequence[str]) -> int:
    from kgbench.cli import main

    return main(arguments)
