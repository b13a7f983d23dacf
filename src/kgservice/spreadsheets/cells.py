"""What a cell holds, read the way planning offices write it: Thai digits, "1,250,000",
Buddhist-era years, and "-" for nothing."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
EMPTY_MARKS = {"", "-", "–", "—"}
BUDDHIST_ERA_OFFSET = 543
# fiscal years a plan may name (the rule R06 of the shapes); below them a Christian-era year
BUDDHIST_YEARS = range(2500, 2701)
CHRISTIAN_YEARS = range(1900, 2200)


@dataclass(frozen=True)
class Unreadable:
    """A cell that cannot become the value its column wants, and why, in Thai and English."""

    rule: str
    th: str
    en: str


def text(value: CellValue) -> str:
    """The cell as text: whole numbers without ".0", whitespace trimmed, "-" as nothing."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    written = str(value).strip()
    return "" if written in EMPTY_MARKS else " ".join(written.split())


def decimal(value: CellValue) -> Decimal | Unreadable:
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        return _not_a_number(text(value))
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    written = text(value).translate(THAI_DIGITS).replace(",", "").replace(" ", "")
    try:
        number = Decimal(written)
    except InvalidOperation:
        return _not_a_number(text(value))
    return number if number.is_finite() else _not_a_number(text(value))


def integer(value: CellValue) -> int | Unreadable:
    number = decimal(value)
    if isinstance(number, Unreadable):
        return number
    if number != number.to_integral_value():
        return Unreadable(
            "cell-integer",
            f"ต้องเป็นจำนวนเต็ม แต่พบ {text(value)}",
            f"a whole number is wanted, found {text(value)}",
        )
    return int(number)


def fiscal_year(value: CellValue) -> int | Unreadable:
    year = integer(value)
    if isinstance(year, Unreadable) or year in BUDDHIST_YEARS:
        return year
    if year in CHRISTIAN_YEARS:
        proposed = year + BUDDHIST_ERA_OFFSET
        return Unreadable(
            "cell-year-christian-era",
            f"ปี {year} ดูเหมือนเป็นปีคริสต์ศักราช (ค.ศ.) ให้ใช้ปีพุทธศักราช {proposed} (พ.ศ. = ค.ศ. + 543)",
            f"{year} looks like a Christian-era year: use B.E. {proposed} (B.E. = C.E. + 543)",
        )
    return Unreadable(
        "cell-year",
        f"ปีงบประมาณต้องเป็นปีพุทธศักราช 2500-2700 แต่พบ {year}",
        f"a fiscal year is a Buddhist-era year 2500-2700, found {year}",
    )


def canonical(number: Decimal) -> str:
    """The lexical form of an ``xsd:decimal`` or ``xsd:integer`` as the store writes it."""
    return format(number.normalize(), "f")


def _not_a_number(written: str) -> Unreadable:
    return Unreadable(
        "cell-number",
        f'ต้องเป็นตัวเลข (เช่น 1,250,000 หรือ ๑,๒๕๐,๐๐๐) แต่พบ "{written}"',
        f'a number is wanted (e.g. 1,250,000 or ๑,๒๕๐,๐๐๐), found "{written}"',
    )
