"""The ``kgservice`` command line: one module per subcommand, each with ``register``."""

import argparse
import sys
from collections.abc import Sequence

from kgservice import allocator
from kgservice.cli import (
    export,
    harness,
    info,
    load,
    query,
    search,
    search_index,
    serve,
    spreadsheets,
    token,
    validate,
)
from kgservice.errors import KgError, StoreUnavailable

COMMANDS = [
    serve,
    info,
    export,
    validate,
    load,
    token,
    query,
    search,
    search_index,
    harness,
    spreadsheets,
]
EXIT_BAD_INPUT = 2
EXIT_STORE_UNAVAILABLE = 3
BULK_LOADING = {"serve", "load"}  # run with mimalloc (kgservice.allocator)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] in harness.HARNESS:
        return harness.run(arguments)
    parser = argparse.ArgumentParser(
        prog="kgservice", description="Knowledge graph service for Thailand's development plans"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    args = parser.parse_args(argv)
    if argv is None and args.command in BULK_LOADING:  # the command line, not a caller's list
        allocator.restart_with_mimalloc()
    try:
        return int(args.run(args))
    except KgError as exc:
        print(f"kgservice {args.command}: {exc.message}", file=sys.stderr)
        return EXIT_STORE_UNAVAILABLE if isinstance(exc, StoreUnavailable) else EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
