"""``kgservice import FILE --org ID [--dry-run]`` and ``kgservice export-sheet ID -o FILE``:
an office's workbook in and out from the command line, through the same services as HTTP.

``import`` writes as the organisation itself. Exit status: 0 when the sheets conform, 1 when
they do not (nothing changed), 2 when the file cannot be read.
"""

import argparse
from pathlib import Path

from kgservice.auth import Principal
from kgservice.bootstrap import bootstrap
from kgservice.cli.common import add_store_options, settings_from
from kgservice.cli.table import line, width
from kgservice.namespaces import org_iri
from kgservice.services.writes import WriteService
from kgservice.spreadsheets import offices
from kgservice.spreadsheets.importing import ImportReport, Upload
from kgservice.spreadsheets.results import SheetResult
from kgservice.store import open_store

CSV_SUFFIXES = {".csv"}
HEADINGS = ["sheet", "row", "column", "rule", "severity", "ข้อความ", "message", "focus node"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import a planning office's workbook (XLSX or CSV)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--org", required=True, help="organisation id, e.g. lao-sao-400102")
    p.add_argument("--dry-run", action="store_true", help="report only, store nothing")
    add_store_options(p)
    p.set_defaults(run=run_import)
    p = sub.add_parser("export-sheet", help="an organisation's plans as a workbook")
    p.add_argument("org", metavar="ID", help="organisation id")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    add_store_options(p)
    p.set_defaults(run=run_export)


def _writes(args: argparse.Namespace) -> WriteService:
    settings = settings_from(args)
    store = open_store(settings)
    if settings.load_bundled_data:
        bootstrap(store, settings)
    return WriteService(store, settings)


def run_import(args: argparse.Namespace) -> int:
    writes = _writes(args)
    try:
        org_id = offices.organisation(args.org)
        principal = Principal(org_iri(writes.settings.base_iri, org_id), org_id)
        media_type = "text/csv" if args.file.suffix.lower() in CSV_SUFFIXES else ""
        upload = Upload(args.file.read_bytes(), media_type, args.file.stem)
        report = offices.importer(writes).run(principal, org_id, upload, dry_run=args.dry_run)
    finally:
        writes.store.close()
    _print_report(report)
    return 0 if report.conforms else 1


def _print_report(report: ImportReport) -> None:
    if report.results:
        print(_table([HEADINGS, *(_cells(r) for r in report.results)]))
    state = "committed" if report.committed else "not committed"
    print(f"conforms: {str(report.conforms).lower()}; triples: {report.triples}; {state}")


def _cells(result: SheetResult) -> list[str]:
    where = result.cell
    place = [where.sheet, str(where.row), where.letter] if where else ["", "", ""]
    return [*place, result.rule, result.severity, result.th, result.en, result.focus or ""]


def _table(rows: list[list[str]]) -> str:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(line(row, widths) for row in rows)


def run_export(args: argparse.Namespace) -> int:
    writes = _writes(args)
    try:
        data = offices.exporter(writes).workbook(offices.organisation(args.org))
    finally:
        writes.store.close()
    args.output.write_bytes(data)
    print(f"{args.output}: {len(data):,} bytes")
    return 0
