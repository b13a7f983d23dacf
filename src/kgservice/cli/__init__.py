"""The ``kgservice`` command line: one module per subcommand, each with ``register``.

Only the module of the command asked for is imported (all of them for ``--help`` or an unknown
command): the bulk loader, the validator and the spreadsheet readers take most of a second to
import, which every ``kgservice token create`` in an operator's script would otherwise pay."""

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from kgservice import allocator
from kgservice.cli import harness
from kgservice.errors import KgError, StoreUnavailable

COMMANDS = {
    "serve": "serve",
    "info": "info",
    "export": "export",
    "validate": "validate",
    "load": "load",
    "token": "token",
    "query": "query",
    "search": "search",
    "search-index": "search_index",
    "import": "spreadsheets",
    "export-sheet": "spreadsheets",
}
"""Each command's name, and the module (in ``kgservice.cli``) that registers and runs it."""
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
    for command in _modules(arguments[0] if arguments else ""):
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


def _modules(name: str) -> list[ModuleType]:
    """The modules that register ``name``, or every command's for anything else."""
    chosen = [COMMANDS[name]] if name in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    found = [importlib.import_module(f"kgservice.cli.{module}") for module in chosen]
    return found if name in COMMANDS else [*found, harness]
