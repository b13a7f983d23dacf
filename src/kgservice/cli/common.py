"""Options every subcommand shares: where the store is."""

import argparse
from pathlib import Path

from kgservice.settings import Settings


def add_store_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", type=Path, help="on-disk store directory")
    where.add_argument("--memory", action="store_true", help="in-memory store (lost on exit)")
    parser.add_argument("--store", choices=["embedded", "remote"], help="store backend")
    parser.add_argument("--remote-query-url", help="SPARQL query endpoint of a remote store")
    parser.add_argument("--remote-update-url", help="SPARQL update endpoint of a remote store")


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    if getattr(args, "memory", False):
        overrides["memory"] = True
    for name in ("store", "remote_query_url", "remote_update_url"):
        if getattr(args, name, None):
            overrides[name] = getattr(args, name)
    return Settings(**overrides)  # type: ignore[arg-type]
