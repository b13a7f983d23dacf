"""An import: a workbook converted, validated with the rules every write meets, and committed
through the write service as a Graph Store PUT of the organisation's graph, or only reported.

What the sheets do not describe (the organisation's own description, the graph's dataset
description, anything whose IRI no table of the mapping makes) is kept as it is in the graph.
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.auth import Principal, check_may_write
from kgservice.errors import BadRequest, ValidationFailed
from kgservice.namespaces import graph_iri
from kgservice.services.authority import check_subjects
from kgservice.services.writes import WriteService
from kgservice.spreadsheets.cells import text
from kgservice.spreadsheets.convert import Conversion, convert
from kgservice.spreadsheets.headings import Layout, layouts
from kgservice.spreadsheets.mapping import Mapping
from kgservice.spreadsheets.reading import Limits, Sheet, read_workbook
from kgservice.spreadsheets.results import SheetResult
from kgservice.spreadsheets.tabulate import tabulate
from kgservice.spreadsheets.vocabulary import Context, context
from kgservice.validation import ValidationReport, validate
from kgservice.validation.report import ValidationResult


@dataclass(frozen=True)
class ImportReport:
    triples: int
    results: tuple[SheetResult, ...]
    committed: bool
    sheets: tuple[Sheet, ...] = ()
    """The sheets read as the mapping's tables, for a page that shows them."""

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def to_json(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "results": [r.to_json() for r in self.results],
        }

    def preview(self) -> list[dict[str, object]]:
        """Each sheet's cells as text, as the import read them."""
        return [
            {"name": s.name, "rows": [[text(v) for v in row] for row in s.rows]}
            for s in self.sheets
        ]


@dataclass(frozen=True)
class Upload:
    data: bytes
    media_type: str
    name: str = ""


class Importer:
    def __init__(self, writes: WriteService, mapping: Mapping, limits: Limits) -> None:
        self.writes = writes
        self.store = writes.store
        self.settings = writes.settings
        self.mapping = mapping
        self.limits = limits

    def run(
        self, principal: Principal, org_id: str, upload: Upload, *, dry_run: bool, lang: str = "th"
    ) -> ImportReport:
        graph = graph_iri(self.settings.base_iri, org_id)
        check_may_write(principal, graph, self.settings)
        current = self.writes.content(graph)
        sheets = read_workbook(upload.data, upload.media_type, self.limits, name=upload.name)
        context = self.context(org_id)
        laid_out = self.laid_out(sheets, current, context)
        read = tuple(la.sheet for la in laid_out if la.sheet in sheets)
        conversion = convert(laid_out, context)
        content = [*self.kept(current), *conversion.triples]
        if dry_run or conversion.results:
            # what the PUT would refuse first: resources another graph holds (403)
            alone = check_subjects(
                self.store, principal, {graph: content}, base_iri=self.settings.base_iri
            )
            checked = self.validated(content, graph, alone)
            return ImportReport(len(content), self.results(conversion, checked), False, read)
        try:  # the write service validates, once, as for any PUT
            written = self.writes.put(principal, graph, content, lang=lang)
        except ValidationFailed:  # its report is JSON in one language: place the results again
            checked = self.validated(content, graph)
            return ImportReport(len(content), self.results(conversion, checked), False, read)
        return ImportReport(len(content), self.results(conversion, written.report), True, read)

    def laid_out(
        self, sheets: list[Sheet], current: list[ox.Triple], context: Context
    ) -> list[Layout]:
        found = layouts(sheets, self.mapping)
        if not found:
            raise BadRequest(
                "ไม่พบแผ่นงานของแบบฟอร์ม (no sheet of the template: name the sheets "
                + ", ".join(t.sheet for t in self.mapping.tables)
                + ")"
            )
        if len(sheets) == 1 and len(found) == 1:  # one sheet (CSV): the rest as the graph has it
            tables = tabulate(self.mapping, current, context)
            others = [s for s in tables if s.name != found[0].table.sheet]
            found = layouts([*others, sheets[0]], self.mapping)
        return found

    def context(self, org_id: str) -> Context:
        return context(self.store, self.settings.base_iri, org_id, self.mapping.choices)

    def kept(self, current: Iterable[ox.Triple]) -> list[ox.Triple]:
        patterns = self.mapping.subject_patterns(self.settings.base_iri)
        current = list(current)
        subjects = {t.subject for t in current if isinstance(t.subject, ox.NamedNode)}
        made = {s for s in subjects if _made(s.value, patterns)}  # each subject matched once
        return [t for t in current if t.subject not in made]

    def validated(
        self, content: list[ox.Triple], graph: str, alone: Collection[str] = ()
    ) -> ValidationReport:
        return validate(
            self.store,
            content,
            settings=self.settings,
            replacing=[graph],
            alone=alone,
            last=self.writes.last_validation,
        )

    @staticmethod
    def results(conversion: Conversion, report: ValidationReport) -> tuple[SheetResult, ...]:
        """The conversion's results, and the rules' placed at their cells (one per cell)."""
        found = list(conversion.results)
        taken = {r.cell for r in found if r.cell is not None}
        found.extend(
            r for r in _placed(report, conversion) if r.cell is None or r.cell not in taken
        )
        return tuple(sorted(found, key=SheetResult.sort_key))


def _made(subject: str, patterns: list[re.Pattern[str]]) -> bool:
    return any(p.match(subject) for p in patterns)


def _placed(report: ValidationReport, conversion: Conversion) -> Iterable[SheetResult]:
    for result in report.results:
        yield _place(result, conversion)


def _place(result: ValidationResult, conversion: Conversion) -> SheetResult:
    focus = result.focus.value if isinstance(result.focus, ox.NamedNode) else None
    path = result.path.value if isinstance(result.path, ox.NamedNode) else None
    cell = None
    if focus is not None:
        cell = conversion.cells.get((focus, path)) or conversion.cells.get((focus, None))
    return SheetResult(
        cell,
        result.rule_id,
        result.severity_name,
        focus,
        result.message("th"),
        result.message("en"),
    )
