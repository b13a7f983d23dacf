"""``kgservice load FILE... [--graph IRI | --by-organisation]``: stream RDF into the store.

Files of any size are read as streams (``kgservice.bulk``): validated organisation by
organisation, then written with the bulk loader. Without ``--graph`` or ``--by-organisation``
each file goes into ``graph/{file stem}`` (a quad format keeps its named graphs). What did not
conform, and what could not be placed, goes to a JSON Lines report; a summary is printed.
"""

import argparse
import logging
import sys
import time
from pathlib import Path

from kgservice.bootstrap import bootstrap
from kgservice.bulk.checking import Report
from kgservice.bulk.loader import Mode, Outcome, bulk_load
from kgservice.bulk.sources import RdfFile, UnreadableSource
from kgservice.cli.common import add_store_options, settings_from
from kgservice.cli.rdffiles import EXIT_UNREADABLE
from kgservice.settings import Settings
from kgservice.store import open_store

EXIT_NOT_ALL_LOADED = 1
EXIT_WRITE_FAILED = 4
SHOWN = 10


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("load", help="validate RDF files and load them into the store")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="RDF file, maybe .gz")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--graph", metavar="IRI", help="one named graph for all files")
    where.add_argument(
        "--by-organisation",
        action="store_true",
        help="each statement into the graph of the organisation that owns its subject",
    )
    p.add_argument(
        "--on-violation",
        choices=["skip", "stop", "keep"],
        default="stop",
        help="for a graph that does not conform: leave it out, stop the load (default), "
        "or load it anyway",
    )
    p.add_argument("--report", type=Path, metavar="FILE", help="JSON Lines report of findings")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        files = tuple(RdfFile.of(path) for path in args.files)
    except UnreadableSource as e:
        print(f"error: {e}; nothing loaded", file=sys.stderr)
        return EXIT_UNREADABLE
    if not logging.getLogger().handlers:  # progress lines when stderr is no terminal
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    mode = Mode(files, args.graph, args.by_organisation, args.on_violation)
    report_path = args.report or default_report(settings)
    started = time.monotonic()
    try:
        outcome, report = _load(settings, mode, report_path)
    except UnreadableSource as e:
        print(f"error: {e}; graphs loaded before it stay, each whole", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as e:  # a full disk, most often: the store, the spool or the report
        print(
            f"error: cannot write: {e}; graphs loaded before stay, each whole: "
            "free some space and run the same command again to go on from there",
            file=sys.stderr,
        )
        return EXIT_WRITE_FAILED
    print("\n".join(summary(outcome, report, report_path, time.monotonic() - started)))
    return 0 if outcome.complete else EXIT_NOT_ALL_LOADED


def _load(settings: Settings, mode: Mode, report_path: Path) -> tuple[Outcome, Report]:
    store = open_store(settings)
    try:
        if settings.load_bundled_data:  # a fresh store gets what `kgservice serve` would load
            bootstrap(store, settings)
        report = Report.open(report_path)
        try:
            return bulk_load(store, settings, mode, report), report
        finally:
            report.close()
    finally:
        store.close()  # flushes: after a failed write this can fail too


def default_report(settings: Settings) -> Path:
    """Next to the store (``var/store.load-report.jsonl``), or here for an in-memory one."""
    if settings.memory:
        return Path("kgservice-load-report.jsonl")
    return settings.data_dir.with_name(settings.data_dir.name + ".load-report.jsonl")


def summary(outcome: Outcome, report: Report, path: Path, elapsed: float) -> list[str]:
    lines = [
        f"loaded {len(outcome.loaded):,} graphs, {outcome.statements:,} statements "
        f"in {elapsed:.1f} s"
    ]
    if outcome.refused:
        verb = "stopped at" if outcome.stopped else "left out"
        lines.append(
            f"{verb} {len(outcome.refused):,} graphs that do not conform: {_some(outcome.refused)}"
        )
    if outcome.stopped:
        lines.append("the graphs loaded before stay; correct the data and load again")
    unplaced = outcome.unplaced
    if unplaced.statements:
        lines.append(
            f"not loaded: {unplaced.statements:,} statements about {len(unplaced.subjects):,}"
            f"{'+' if len(unplaced.subjects) >= 1000 else ''} subjects no organisation owns"
        )
    lines += report.summary()
    lines.append(f"report: {path}")
    return lines


def _some(graphs: set[str]) -> str:
    shown = sorted(graphs)[:SHOWN]
    more = len(graphs) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more else "")
