"""Measurements of planning offices' workbooks (docs/benchmarks/spreadsheets.md).

``python -m kgbench.spreadsheets bundled``: a 5,000-project workbook of lao-sao-400102 converted
and validated (a dry run) over the bundled data in memory.
``python -m kgbench.spreadsheets national DIR ORG``: over a copy of the national store in DIR, the
export of ORG, and a 5,000-project workbook of ORG dry-run and committed.
``python -m kgbench.spreadsheets export DIR ORG``: only the export, and ORG's own exported
workbook imported again (dry run, then committed).
``python -m kgbench.spreadsheets dry-run DIR ORG``: only the 5,000-project dry run.
``python -m kgbench.spreadsheets commit DIR ORG``: only that workbook committed, three times
(the first replaces ORG's own projects, the next two send the same content again).
Each prints one JSON object of medians.
``python -m kgbench.spreadsheets steps DIR ORG``: over a fresh copy of the national store, each
step of an office's year in the order it happens, each first run apart from the runs after it
(a freshly copied store merges its files in the background during the first session that
writes to it): the export, the dry run, the first commit (replacing ORG's own projects), the
same workbook again, the workbook with a few rows edited, then ORG's own workbook back and the
5,000 projects committed once more on the warm store; one JSON line per step, as it ends.
``python -m kgbench.spreadsheets steps DIR ORG STEP...``: only the steps named (e.g.
``dry_run_first dry_run_unseen dry_run commit_first commit_same commit_few_edits``);
``dry_run_unseen`` forgets the last validation before each run (a workbook the service has not
validated before), ``dry_run`` does not (the same workbook checked again).
``python -m kgbench.spreadsheets compact DIR``: the store's files merged, as a service does
after its first start, so that a fresh copy's steps are measured as a running service has it.
``python -m kgbench.spreadsheets profile DIR ORG``: the 5,000-project workbook committed twice,
each commit profiled on the CPU clock (cProfile) and printed by cumulative time.
"""

import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path

from kgservice.auth import Principal
from kgservice.bootstrap import bootstrap
from kgservice.namespaces import org_iri
from kgservice.services.writes import WriteService
from kgservice.settings import Settings
from kgservice.spreadsheets import offices, writing
from kgservice.spreadsheets.importing import Upload
from kgservice.spreadsheets.reading import Sheet
from kgservice.spreadsheets.tabulate import headings
from kgservice.spreadsheets.vocabulary import context
from kgservice.store import Store, open_store
from kgservice.validation.incremental import LastValidation

PROJECTS = 5_000
KEYS = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def median_s(run: Callable[[], object], times: int) -> dict[str, object]:
    """Medians of wall-clock, of this process's CPU seconds (the machine may be shared) and of
    the calling thread's (without the store's background merging of its files), and each run's
    wall-clock and CPU seconds."""
    wall, cpu, thread = [], [], []
    for _ in range(times):
        started, used, own = time.perf_counter(), time.process_time(), time.thread_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
        thread.append(time.thread_time() - own)
    return {
        "wall": round(statistics.median(wall), 3),
        "cpu": round(statistics.median(cpu), 3),
        "thread_cpu": round(statistics.median(thread), 3),
        "each_wall": [round(w, 3) for w in wall],
        "each_cpu": [round(c, 3) for c in cpu],
    }


def big_workbook(writes: WriteService, org_id: str, projects: int, *, edit: int = 0) -> bytes:
    """The organisation's own workbook with its first project repeated to ``projects`` rows,
    keyed past any project the national data's other graphs (``-imperfections``) hold; with
    ``edit``, five of the rows' names changed (a different change for each ``edit``)."""
    exporter = offices.exporter(writes)
    mapping = exporter.mapping
    found = context(writes.store, writes.settings.base_iri, org_id, mapping.choices)
    sheets = exporter.sheets(org_id, found)
    table = mapping.tables[-1]
    first = sheets[-1].rows[len(headings(table))]
    key, number, label = (
        table.visible.index(table.column(n)) for n in ("project", "number", "label_th")
    )
    rows = []
    for n in range(1, projects + 1):
        row = list(first)
        row[key], row[number], row[label] = str(KEYS + n), n, f"{first[label]} ชุดที่ {n}"
        if edit and n % (projects // 5) == 1:
            row[label] = f"{row[label]} (แก้ไข {edit})"
        rows.append(row)
    sheets[-1] = Sheet(table.sheet, [*headings(table), *rows])
    return writing.xlsx(mapping, sheets, writing.Choices(found.choices, found.higher))


def measure(writes: WriteService, org_id: str, *, commit: bool) -> dict[str, object]:
    principal = Principal(org_iri(writes.settings.base_iri, org_id), org_id)
    importer = offices.importer(writes)
    figures: dict[str, object] = {"organisation": org_id}
    if commit:
        export = offices.exporter(writes)
        figures["export_s"] = median_s(lambda: export.workbook(org_id), 5)
    data = big_workbook(writes, org_id, PROJECTS)
    upload = Upload(data, XLSX)
    report = importer.run(principal, org_id, upload, dry_run=True)
    figures |= {"projects": PROJECTS, "workbook_bytes": len(data), "triples": report.triples,
                "conforms": report.conforms, "results": len(report.results)}  # fmt: skip
    figures["dry_run_s"] = median_s(
        lambda: importer.run(principal, org_id, upload, dry_run=True), 5
    )
    if commit:
        figures["commit_s"] = median_s(
            lambda: importer.run(principal, org_id, upload, dry_run=False), 3
        )
    return figures


def commits(writes: WriteService, org_id: str) -> dict[str, object]:
    principal = Principal(org_iri(writes.settings.base_iri, org_id), org_id)
    upload = Upload(big_workbook(writes, org_id, PROJECTS), XLSX)
    importer = offices.importer(writes)
    commit = partial(importer.run, principal, org_id, upload, dry_run=False)
    return {"organisation": org_id, "projects": PROJECTS, "commit_s": median_s(commit, 3)}


def steps(writes: WriteService, org_id: str, only: Collection[str] = ()) -> None:
    """Prints each step's figures as soon as it is measured (a run cut short keeps the earlier
    ones); with ``only``, the steps named (a step's name without ``_s``) and no others."""
    principal = Principal(org_iri(writes.settings.base_iri, org_id), org_id)
    importer, export = offices.importer(writes), offices.exporter(writes)

    def step(name: str, run: Callable[[], object], times: int) -> None:
        if only and name.removesuffix("_s") not in only:
            return
        print(json.dumps({"organisation": org_id, name: median_s(run, times)}), flush=True)

    step("export_first_s", lambda: export.workbook(org_id), 1)
    step("export_s", lambda: export.workbook(org_id), 3)
    own = Upload(export.workbook(org_id), XLSX)
    upload = Upload(big_workbook(writes, org_id, PROJECTS), XLSX)
    # made from the same export as ``upload``: made after its commit, every row's name would
    # differ (the first project it repeats is then one of its own)
    edits = [Upload(big_workbook(writes, org_id, PROJECTS, edit=n), XLSX) for n in (1, 2)]
    run = partial(importer.run, principal, org_id)

    def unseen() -> object:
        writes.last_validation = LastValidation()  # as for a workbook the service has not seen
        return run(upload, dry_run=True)

    step("dry_run_first_s", lambda: run(upload, dry_run=True), 1)
    step("dry_run_unseen_s", unseen, 2)
    step("dry_run_s", lambda: run(upload, dry_run=True), 2)
    step("commit_first_s", lambda: run(upload, dry_run=False), 1)
    step("commit_same_s", lambda: run(upload, dry_run=False), 2)
    step("commit_few_edits_s", lambda: run(edits.pop(), dry_run=False), 2)
    step("commit_own_again_s", lambda: run(own, dry_run=False), 1)
    step("commit_warm_s", lambda: run(upload, dry_run=False), 1)


def round_trip(writes: WriteService, org_id: str) -> dict[str, object]:
    export = offices.exporter(writes)
    figures: dict[str, object] = {"organisation": org_id}
    figures["export_s"] = median_s(lambda: export.workbook(org_id), 5)
    upload = Upload(export.workbook(org_id), XLSX)
    principal = Principal(org_iri(writes.settings.base_iri, org_id), org_id)
    importer = offices.importer(writes)
    for dry_run, name in ((True, "own_dry_run_s"), (False, "own_commit_s")):
        figures[name] = median_s(
            partial(importer.run, principal, org_id, upload, dry_run=dry_run), 3
        )
    return figures


def profile(writes: WriteService, org_id: str) -> None:
    principal = Principal(org_iri(writes.settings.base_iri, org_id), org_id)
    upload = Upload(big_workbook(writes, org_id, PROJECTS), XLSX)
    importer = offices.importer(writes)
    for _ in range(2):
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(importer.run, principal, org_id, upload, dry_run=False)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def _compacted(store: Store) -> None:
    store.compact()
    store.close()  # waits for the merge


def main(argv: list[str]) -> None:
    if argv[0] == "bundled":
        settings = Settings(memory=True)
        store = open_store(settings)
        bootstrap(store, settings)
        figures = measure(WriteService(store, settings), "lao-sao-400102", commit=False)
    else:
        settings = Settings(data_dir=Path(argv[1]), load_bundled_data=False)
        store = open_store(settings)
        writes = WriteService(store, settings)
        if argv[0] == "compact":
            merged = partial(_compacted, store)
            print(json.dumps({"compact_s": median_s(merged, 1)}))
            return
        if argv[0] == "profile":
            profile(writes, argv[2])
            store.close()
            return
        if argv[0] == "export":
            figures = round_trip(writes, argv[2])
        elif argv[0] == "steps":
            steps(writes, argv[2], argv[3:])
            store.close()
            return
        elif argv[0] == "commit":
            figures = commits(writes, argv[2])
        elif argv[0] == "dry-run":
            figures = measure(writes, argv[2], commit=False)
        else:
            figures = measure(writes, argv[2], commit=True)
    store.close()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
