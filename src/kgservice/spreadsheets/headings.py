"""Which column of a sheet is which: headings in Thai on the first row, English on the second."""

from dataclasses import dataclass

from kgservice.spreadsheets.cells import CellValue, text
from kgservice.spreadsheets.mapping import Column, Mapping, Table
from kgservice.spreadsheets.reading import Sheet
from kgservice.spreadsheets.vocabulary import normal

HEADING_ROWS = 2
"""Rows above the data: Thai headings, then English headings."""


@dataclass(frozen=True)
class Layout:
    table: Table
    sheet: Sheet
    positions: dict[str, int]
    """Each column's 0-based index in the sheet, by column name; absent columns are missing."""

    def missing(self) -> list[Column]:
        return [c for c in self.table.visible if c.name not in self.positions]


def layouts(sheets: list[Sheet], mapping: Mapping) -> list[Layout]:
    """The sheets that are tables of the mapping (by name, or by their headings), laid out."""
    found: list[Layout] = []
    for sheet in sheets:
        table = mapping.table(sheet.name) or _by_headings(sheet, mapping)
        if table is not None:
            found.append(Layout(table, sheet, _positions(table, sheet.rows[:HEADING_ROWS])))
    return found


def _by_headings(sheet: Sheet, mapping: Mapping) -> Table | None:
    """A CSV file's table: the one most of whose headings its first row carries."""
    heads = _texts(sheet.rows[:HEADING_ROWS])
    scored = [(len(_titles(t) & heads) / len(t.visible), t) for t in mapping.tables]
    score, table = max(scored, key=lambda pair: pair[0])
    return table if score >= 0.5 else None


def _positions(table: Table, heading_rows: list[list[CellValue]]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for row in heading_rows:
        for index, value in enumerate(row):
            column = _column_titled(table, normal(text(value)))
            if column is not None:
                positions.setdefault(column.name, index)
    return positions


def _column_titled(table: Table, heading: str) -> Column | None:
    for column in table.visible:
        if heading in {normal(column.title_th), normal(column.title_en), column.name.casefold()}:
            return column
    return None


def _titles(table: Table) -> set[str]:
    return {normal(c.title_th) for c in table.visible} | {normal(c.title_en) for c in table.visible}


def _texts(rows: list[list[CellValue]]) -> set[str]:
    return {normal(text(v)) for row in rows for v in row} - {""}
