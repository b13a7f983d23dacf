"""Results of an import, each pointing at the cell a spreadsheet program shows."""

from dataclasses import dataclass
from typing import NamedTuple

from openpyxl.utils import get_column_letter


class Cell(NamedTuple):
    """A tuple, not a dataclass: a workbook's conversion makes one for every cell it reads."""

    sheet: str
    row: int
    """1-based, as a spreadsheet program numbers rows."""
    column: int
    """0-based index; ``letter`` is what a spreadsheet program shows."""

    @property
    def letter(self) -> str:
        return str(get_column_letter(self.column + 1))


@dataclass(frozen=True)
class SheetResult:
    cell: Cell | None
    rule: str
    severity: str
    focus: str | None
    th: str
    en: str

    def to_json(self) -> dict[str, object]:
        return {
            "sheet": self.cell.sheet if self.cell else None,
            "row": self.cell.row if self.cell else None,
            "column": self.cell.letter if self.cell else None,
            "rule": self.rule,
            "severity": self.severity,
            "focusNode": self.focus,
            "message": {"th": self.th, "en": self.en},
        }

    def sort_key(self) -> tuple[object, ...]:
        where = (self.cell.sheet, self.cell.row, self.cell.column) if self.cell else ("", 0, 0)
        return (self.cell is None, *where, self.rule)
