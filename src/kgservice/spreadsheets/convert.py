"""Sheets to triples through the mapping, each triple remembered by the cell it came from.

A cell that cannot become its column's value gets its own result and no triple; the rest of the
row is still converted, so the rules can still be run on it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES
from kgservice.spreadsheets import cells
from kgservice.spreadsheets.cells import CellValue, Unreadable
from kgservice.spreadsheets.headings import HEADING_ROWS, Layout
from kgservice.spreadsheets.mapping import Column, Table, Template
from kgservice.spreadsheets.results import Cell, SheetResult
from kgservice.spreadsheets.vocabulary import Context, Names

XSD = PREFIXES["xsd"]
VIOLATION = "Violation"
Where = tuple[str, str | None]
"""(subject, property) of a triple, or (subject, None) for the row a subject comes from."""


@dataclass
class Conversion:
    triples: list[ox.Triple] = field(default_factory=list)
    results: list[SheetResult] = field(default_factory=list)
    cells: dict[Where, Cell] = field(default_factory=dict)
    plans: dict[str, int | None] = field(default_factory=dict)
    """Each plan key of the plan sheet and its first fiscal year."""

    def problem(self, cell: Cell | None, focus: str | None, unreadable: Unreadable) -> None:
        self.results.append(
            SheetResult(cell, unreadable.rule, VIOLATION, focus, unreadable.th, unreadable.en)
        )


def convert(layouts: list[Layout], context: Context) -> Conversion:
    out = Conversion()
    for layout in sorted(layouts, key=lambda la: la.table is not _plan_table(layouts)):
        _missing_headings(layout, out)
        seen: set[str] = set()
        for number, row in _data_rows(layout):
            _Row(layout, number, row, context, out).convert(seen)
    return out


def _plan_table(layouts: list[Layout]) -> Table | None:
    return next((la.table for la in layouts if la.table.about.variables[-1] == "plan"), None)


def _data_rows(layout: Layout) -> Iterator[tuple[int, list[CellValue]]]:
    for index, row in enumerate(layout.sheet.rows[HEADING_ROWS:], start=HEADING_ROWS + 1):
        if any(cells.text(v) for v in row):
            yield index, row


def _missing_headings(layout: Layout, out: Conversion) -> None:
    width = max((len(r) for r in layout.sheet.rows[:HEADING_ROWS]), default=0)
    for column in layout.missing():
        if column.required:
            problem = _problem("heading-missing", column, sheet=layout.sheet.name)
            out.problem(Cell(layout.sheet.name, 1, width), None, problem)


class _Row:
    def __init__(
        self, layout: Layout, number: int, row: list[CellValue], context: Context, out: Conversion
    ) -> None:
        self.layout, self.number, self.context, self.out = layout, number, context, out
        width = len(row)
        self.raw = {
            name: row[index] if index < width else None for name, index in layout.positions.items()
        }
        self.texts = {name: cells.text(value) for name, value in self.raw.items()}
        self.existing: set[str] = set()
        self.expanded: dict[str, str | None] = {}
        self.nodes: dict[str, ox.NamedNode] = {}

    def expand(self, template: Template, variables: dict[str, str]) -> str | None:
        """A template of this row's, expanded once (many columns share one node)."""
        try:
            return self.expanded[template.text]
        except KeyError:
            made = self.expanded[template.text] = template.expand(variables)
            return made

    def node(self, iri: str) -> ox.NamedNode:
        """The row's node of ``iri``, made once (a row's columns mostly describe one node)."""
        found = self.nodes.get(iri)
        if found is None:
            found = self.nodes[iri] = ox.NamedNode(iri)
        return found

    def cell(self, column: Column) -> Cell | None:
        index = self.layout.positions.get(column.name)
        return None if index is None else Cell(self.layout.sheet.name, self.number, index)

    def convert(self, seen: set[str]) -> None:
        variables = self.variables()
        table = self.layout.table
        subject = table.about.expand(variables)
        if subject is None:
            self.report(table.key, None, _problem("cell-required", table.key))
            return
        if subject in seen:
            self.report(
                table.key,
                subject,
                _problem("row-duplicate", key=self.texts.get(table.key.name, "")),
            )
            return
        seen.add(subject)
        if table.key.name == "plan":
            start = next(c for c in table.visible if c.fiscal_year)
            self.out.plans[variables["plan"]] = _year(self.raw.get(start.name))
        for column in table.visible:
            self.value(column, variables)
        home = next((c for c in table.visible if c.lang == "th"), table.key)
        self.out.cells[(subject, None)] = self.cell(home) or Cell(
            self.layout.sheet.name, self.number, 0
        )
        for column in table.virtual:
            self.virtual(column, variables)

    def variables(self) -> dict[str, str]:
        found = {"base": self.context.base, "org": quote(self.context.org_id, safe="")}
        named = self.layout.table.named
        for name, written in self.texts.items():
            if written and name in named:
                found[name] = quote(written.translate(cells.THAI_DIGITS), safe=".-_~")
        for column in self.layout.table.visible:
            if column.role == "plan" and column.name not in found:
                self.only_plan(column, found)
            if column.default and column.name not in found:
                made = column.default.expand(found)
                if made is not None:
                    found[column.name] = made
        self.plan_years(found)
        return found

    def only_plan(self, column: Column, found: dict[str, str]) -> None:
        if len(self.out.plans) == 1:
            found[column.name] = next(iter(self.out.plans))
        elif self.out.plans:
            self.report(column, None, _problem("plan-ambiguous"))

    def plan_years(self, found: dict[str, str]) -> None:
        start = self.out.plans.get(found.get("plan", ""))
        for column in self.layout.table.columns:
            if start is not None and column.year_of_plan is not None:
                found[f"_year{column.year_of_plan}"] = str(start + column.year_of_plan - 1)

    def value(self, column: Column, variables: dict[str, str]) -> None:
        subject = self.expand(column.about, variables)
        written = self.texts.get(column.name, "")
        if subject is None:
            if column.year_of_plan and written:
                problem = _problem("plan-years-unknown", plan=variables.get("plan", ""))
                self.report(column, None, problem)
            return
        if column.predicate is None:
            return
        cell = self.cell(column)
        if cell is not None:
            self.out.cells.setdefault((subject, column.predicate), cell)
        if not written:
            if column.required and cell is not None:
                self.report(column, subject, _problem("cell-required", column))
            return
        if column.suppressed:
            return
        self.existing.add(subject)
        node, predicate = self.node(subject), _predicate(column.predicate)
        triples = self.out.triples
        for term in self.terms(column, subject, written, variables):
            triples.append(ox.Triple(node, predicate, term))

    def terms(
        self, column: Column, subject: str, written: str, variables: dict[str, str]
    ) -> Iterator[ox.NamedNode | ox.Literal]:
        parts = written.split(column.separator) if column.separator else [written]
        for part in (p.strip() for p in parts if p.strip()):
            term = self.term(column, part, variables)
            if isinstance(term, Unreadable):
                self.report(column, subject, term)
            else:
                yield term

    def term(
        self, column: Column, written: str, variables: dict[str, str]
    ) -> ox.NamedNode | ox.Literal | Unreadable:
        if column.choices:
            return _named(self.context.choices.find(written), written, self.context.choices, column)
        if column.lookup:
            return _named(self.context.higher.find(written), written, self.context.higher, column)
        if column.format and not re.fullmatch(column.format, written.translate(cells.THAI_DIGITS)):
            return _problem("cell-format", column, written=written)
        if column.value is not None:
            made = column.value.expand(variables)
            return ox.NamedNode(made) if made else _problem("cell-required", column)
        return self.literal(column, written)

    def literal(self, column: Column, written: str) -> ox.Literal | Unreadable:
        raw = self.raw.get(column.name, written)
        if column.datatype in {"integer", "decimal"}:
            number: int | Decimal | Unreadable
            if column.fiscal_year:
                number = cells.fiscal_year(raw)
            elif column.datatype == "integer":
                number = cells.integer(raw)
            else:
                number = cells.decimal(raw)
            if isinstance(number, Unreadable):
                return number
            if column.minimum is not None and number < column.minimum:
                return _problem(
                    "cell-minimum", column, written=written, minimum=f"{column.minimum:g}"
                )
            lexical = cells.canonical(Decimal(number))
            return ox.Literal(lexical, datatype=ox.NamedNode(XSD + column.datatype))
        if column.lang:
            return ox.Literal(written, language=column.lang)
        return ox.Literal(written)

    def virtual(self, column: Column, variables: dict[str, str]) -> None:
        subject = self.expand(column.about, variables)
        row = self.expand(self.layout.table.about, variables)
        if subject is None or (subject != row and subject not in self.existing):
            return
        term = self.virtual_term(column, variables)
        if term is None or column.predicate is None:
            return
        self.out.triples.append(ox.Triple(self.node(subject), _predicate(column.predicate), term))
        home = self.layout.table.homes.get(column.about.text)
        cell = self.cell(home) if home else None
        if cell is not None:
            self.out.cells.setdefault((subject, column.predicate), cell)

    def virtual_term(
        self, column: Column, variables: dict[str, str]
    ) -> ox.NamedNode | ox.Literal | None:
        if column.value is not None:
            made = self.expand(column.value, variables)
            node_of_row = column.value.text in self.layout.table.homes
            if made is None or (node_of_row and made not in self.existing):
                return None
            return ox.NamedNode(made)
        written = column.default.expand(variables) if column.default else None
        if written is None:
            return None
        return ox.Literal(written, datatype=ox.NamedNode(XSD + column.datatype))

    def report(self, column: Column, subject: str | None, problem: Unreadable) -> None:
        self.out.problem(self.cell(column), subject, problem)


@lru_cache(maxsize=1024)
def _predicate(iri: str) -> ox.NamedNode:
    """The mapping's few properties, each made once."""
    return ox.NamedNode(iri)


def _year(value: CellValue) -> int | None:
    year = cells.fiscal_year(value)
    return None if isinstance(year, Unreadable) else year


def _named(
    iri: str | None, written: str, names: Names, column: Column
) -> ox.NamedNode | Unreadable:
    if iri is not None:
        return ox.NamedNode(iri)
    if column.lookup:
        closest = names.closest(written)
        return _problem(
            "unknown-strategy",
            written=written,
            hint_th=f'ชื่อที่ใกล้ที่สุดคือ "{closest}"' if closest else "ให้เลือกจากรายการ",
            hint_en=f'the closest name is "{closest}"' if closest else "choose one from the list",
        )
    listed = ", ".join(t.th for t in names.terms if t.iri in column.choices)
    return _problem("cell-choice", column, written=written, listed=listed)


MESSAGES = {
    "cell-choice": (
        '"{written}" ไม่อยู่ในรายการของคอลัมน์ {th}: {listed}',
        '"{written}" is not one of the choices of column {en}: {listed}',
    ),
    "unknown-strategy": (
        'ไม่พบยุทธศาสตร์ชื่อ "{written}" ในแผนระดับที่สูงกว่า {hint_th}',
        'no strategy named "{written}" in a higher-level plan; {hint_en}',
    ),
    "plan-years-unknown": (
        "ไม่ทราบปีงบประมาณของแผน {plan}: ให้ระบุแผนและปีเริ่มต้นในแผ่นงานแผน",
        "the fiscal years of plan {plan} are unknown: give the plan and its first year",
    ),
    "plan-ambiguous": ("มีหลายแผน ให้ระบุรหัสแผน", "there are several plans: give the plan key"),
    "cell-required": ("ต้องกรอกคอลัมน์ {th}", "column {en} must not be empty"),
    "row-duplicate": (
        "รหัส {key} ซ้ำกับแถวก่อนหน้า แต่ละแถวต้องมีรหัสไม่ซ้ำกัน",
        "key {key} repeats an earlier row's: each row needs its own",
    ),
    "cell-format": (
        '"{written}" ไม่ใช่รูปแบบของคอลัมน์ {th}',
        '"{written}" is not of the form column {en} wants',
    ),
    "cell-minimum": (
        "{written} น้อยกว่า {minimum} ซึ่งเป็นค่าต่ำสุดของคอลัมน์ {th}",
        "{written} is below {minimum}, the least column {en} allows",
    ),
    "heading-missing": (
        'ไม่พบคอลัมน์ "{th}" ในแผ่นงาน {sheet}',
        'no column "{en}" in sheet {sheet}',
    ),
}
"""What each of the conversion's own rules says, in Thai and English."""


def _problem(rule: str, column: Column | None = None, **values: object) -> Unreadable:
    if column is not None:
        values |= {"th": column.title_th, "en": column.title_en}
    th, en = MESSAGES[rule]
    return Unreadable(rule, th.format(**values), en.format(**values))
