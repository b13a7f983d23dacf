"""Sheets written as an XLSX workbook laid out like the form, or one sheet as CSV.

A cell never holds something a spreadsheet program would run: text that starts with ``=``,
``+``, ``-`` or ``@`` is stored as text in XLSX, and behind an apostrophe in CSV (which the
import takes off again).
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import Cell as XlsxCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kgservice.spreadsheets.cells import CellValue
from kgservice.spreadsheets.headings import HEADING_ROWS
from kgservice.spreadsheets.mapping import Column, Mapping, Table
from kgservice.spreadsheets.reading import Sheet
from kgservice.spreadsheets.vocabulary import Names

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INSTRUCTIONS = "คำแนะนำ"
LISTS = "รายการ"
FISCAL_YEARS = range(2560, 2591)
EMPTY_ROWS = 500
"""Rows below the data that keep the drop-down lists, for rows an office adds."""
HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class Choices:
    """What the drop-down lists offer."""

    concepts: Names
    higher: Names


def xlsx(mapping: Mapping, sheets: Sequence[Sheet], choices: Choices) -> bytes:
    workbook = Workbook()
    _instructions(workbook.active, mapping)
    lists = _lists(workbook.create_sheet(LISTS), mapping, choices)
    for table, sheet in zip(mapping.tables, sheets, strict=True):
        _table(workbook.create_sheet(table.sheet), table, sheet, lists)
    workbook.move_sheet(LISTS, offset=len(mapping.tables))
    workbook[LISTS].sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in sheet.rows:
        writer.writerow([f"'{v}" if _runnable(v) else v for v in row])
    return out.getvalue()


def _runnable(value: CellValue) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _put(cell: XlsxCell, value: CellValue) -> None:
    cell.value = value
    if _runnable(value):
        cell.data_type = "s"  # openpyxl would otherwise store the text as a formula


def _instructions(sheet: Worksheet, mapping: Mapping) -> None:
    sheet.title = INSTRUCTIONS
    lines = [
        ("แบบฟอร์มนำเข้าแผนพัฒนาท้องถิ่น (ผ.02)", "Local development plan workbook (form ผ.02)"),
        (
            "กรอกหนึ่งแถวต่อหนึ่งรายการ ใต้หัวตารางสองแถว (ไทย อังกฤษ)",
            "One row per item, below the two heading rows (Thai, English)",
        ),
        (
            "ปีเป็นปีพุทธศักราช จำนวนเงินเป็นบาท ใช้เลขไทยหรือมีจุลภาคได้ เช่น ๑,๒๕๐,๐๐๐",
            "Years are Buddhist-era; amounts in baht, with Thai digits or commas, e.g. 1,250,000",
        ),
        (
            "เลือกค่าจากรายการในช่องที่มีลูกศร ยุทธศาสตร์ที่สอดคล้องคั่นด้วย ;",
            "Choose from a cell's list where it has one; separate supported strategies with ;",
        ),
        (
            "เว้นรหัสว่างไว้สำหรับรายการใหม่ ระบบจะตั้งจากลำดับที่ อย่าแก้รหัสของรายการเดิม",
            "Leave the key of a new item empty (it is made from the number); keep existing keys",
        ),
    ]
    lines += [
        (f"แผ่นงาน {t.sheet}: {t.description_th}", f"Sheet {t.sheet}: {t.description_en}")
        for t in mapping.tables
    ]
    for row, (th, en) in enumerate(lines, start=1):
        sheet.cell(row, 1, th).font = Font(bold=row == 1)
        sheet.cell(row, 2, en).font = Font(bold=row == 1, italic=True)
    sheet.column_dimensions["A"].width = 80
    sheet.column_dimensions["B"].width = 80


def _lists(sheet: Worksheet, mapping: Mapping, choices: Choices) -> dict[str, str]:
    """One column per drop-down list; the formula that names each, by column name."""
    columns: dict[tuple[str, ...], str] = {}
    formulas: dict[str, str] = {}
    for table in mapping.tables:
        for column in table.visible:
            values = _choices_of(column, choices)
            if not values:
                continue
            if values not in columns:
                columns[values] = _list_column(sheet, len(columns) + 1, column, values)
            formulas[column.name] = columns[values]
    return formulas


def _choices_of(column: Column, choices: Choices) -> tuple[str, ...]:
    if column.choices:
        return tuple(choices.concepts.label(iri) for iri in column.choices)
    if column.lookup:
        return tuple(choices.higher.label(t.iri) for t in choices.higher.terms)
    if column.fiscal_year:
        return tuple(str(y) for y in FISCAL_YEARS)
    return ()


def _list_column(sheet: Worksheet, index: int, column: Column, values: tuple[str, ...]) -> str:
    letter = get_column_letter(index)
    sheet.cell(1, index, column.title_th)
    for row, value in enumerate(values, start=2):
        _put(sheet.cell(row, index), value)
    return f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"


def _table(sheet: Worksheet, table: Table, content: Sheet, lists: dict[str, str]) -> None:
    for r, row in enumerate(content.rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(sheet.cell(r, c), value)
    for c, column in enumerate(table.visible, start=1):
        _heading_style(sheet, c, column)
    sheet.freeze_panes = sheet.cell(HEADING_ROWS + 1, 1)
    last = len(content.rows) + EMPTY_ROWS
    for c, column in enumerate(table.visible, start=1):
        if column.name in lists:
            _drop_down(sheet, column, lists[column.name], get_column_letter(c), last)


def _heading_style(sheet: Worksheet, index: int, column: Column) -> None:
    for row in range(1, HEADING_ROWS + 1):
        cell = sheet.cell(row, index)
        cell.fill = HEADING_FILL
        cell.font = Font(bold=row == 1, italic=row == 2)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions[get_column_letter(index)].width = (
        14 if column.datatype != "string" else 28
    )


def _drop_down(sheet: Worksheet, column: Column, formula: str, letter: str, last: int) -> None:
    # several supported strategies go in one cell: the list suggests, it does not forbid
    strict = column.separator is None
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=strict
    )
    validation.add(f"{letter}{HEADING_ROWS + 1}:{letter}{last}")
    sheet.add_data_validation(validation)
