"""``kgservice validate FILE...``: check plan RDF against the rules, with the store as context.

Exit status: 0 when every file conforms, 1 when some file does not, 2 when a file cannot be read
or parsed.
"""

import argparse
import json
import sys
from pathlib import Path

from kgservice.bootstrap import bootstrap
from kgservice.cli.common import add_store_options, settings_from
from kgservice.cli.rdffiles import EXIT_UNREADABLE, UnreadableFile, read_rdf
from kgservice.query.serialise import serialise
from kgservice.store import open_store
from kgservice.validation import ValidationReport, validate
from kgservice.validation.summary import summary_lines


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help="validate plan RDF against the linkage rules")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="RDF file (by extension)")
    p.add_argument("--format", choices=["text", "json", "turtle"], default="text")
    p.add_argument("--lang", choices=["th", "en"], default="th", help="language of messages")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    if settings.load_bundled_data:  # a fresh store gets what `kgservice serve` would load
        bootstrap(store, settings)
    status = 0
    reports: list[tuple[str, ValidationReport]] = []
    try:
        for path in args.files:
            try:
                submission = read_rdf(path)
            except UnreadableFile as e:
                print(f"error: {e}", file=sys.stderr)
                status = EXIT_UNREADABLE
                continue
            report = validate(store, submission, settings=settings)
            reports.append((str(path), report))
            if not report.conforms and status == 0:
                status = 1
    finally:
        store.close()
    print_reports(reports, args.format, args.lang)
    return status


def print_reports(reports: list[tuple[str, ValidationReport]], fmt: str, lang: str) -> None:
    if fmt == "json":
        documents = [{"file": name, **report.to_json(lang)} for name, report in reports]
        print(json.dumps(documents, ensure_ascii=False, indent=2))
        return
    for name, report in reports:
        if fmt == "turtle":
            print(f"# {name}")
            print(b"".join(serialise(report.to_rdf(), "text/turtle")).decode())
        else:
            print("\n".join(summary_lines(name, report, lang)))
