"""The ``kgservice`` command line: one module per subcommand, each with ``register``."""

import argparse
import sys
from collections.abc import Sequence

from kgservice.cli import bench, generate, info, serve, token

COMMANDS = [serve, info, token, generate, bench]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kgservice", description="Knowledge graph service for Thailand's development plans"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
