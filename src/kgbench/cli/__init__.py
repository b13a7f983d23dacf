"""The harness's commands, ``bench`` and ``generate``, which ``kgservice`` hands its arguments
to."""

import argparse
import sys
from collections.abc import Sequence

from kgbench.cli import bench, generate


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="kgservice")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (bench, generate):
        command.register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
