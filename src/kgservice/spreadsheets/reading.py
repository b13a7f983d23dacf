"""A workbook from outside, read without trusting it.

XLSX is opened only after its zip is checked: no macros, no external links or data connections,
no part that unpacks past the limit (each part is inflated once, counted, before the reader sees
it, since a zip's declared sizes can lie). The reader is python-calamine, which reads the values
a spreadsheet program cached for its formulas and evaluates none. CSV (one sheet) is UTF-8, or
Windows-874, the Thai code page spreadsheet programs save it in.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook

from kgservice.errors import PayloadTooLarge, UnsafeSpreadsheet, UnsupportedMediaType
from kgservice.settings import Settings
from kgservice.spreadsheets.cells import CellValue

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and password-protected .xlsx
XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
    "application/zip",
}
CSV_TYPES = {"text/csv", "text/plain", "application/csv"}
MACRO_PARTS = ("xl/vbaProject.bin", "xl/macrosheets/", "xl/dialogsheets/")
LINK_PARTS = ("xl/externalLinks/", "xl/connections.xml", "xl/queryTables/", "customXml/")
MAX_PARTS = 2_000
CHUNK = 1 << 16


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[CellValue]]


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int
    rows: int

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(settings.spreadsheet_max_unpacked_bytes, settings.spreadsheet_max_rows)


def read_workbook(data: bytes, media_type: str, limits: Limits, *, name: str = "") -> list[Sheet]:
    """The sheets of an XLSX workbook, or the one sheet of a CSV file (named ``name``)."""
    if data.startswith(OLE_MAGIC):
        raise UnsupportedMediaType(
            "ไฟล์ .xls แบบเก่าหรือไฟล์ที่ตั้งรหัสผ่าน ให้บันทึกเป็น .xlsx โดยไม่ตั้งรหัสผ่าน "
            "(an old .xls or a password-protected workbook: save it as .xlsx without a password)"
        )
    if data.startswith(ZIP_MAGIC):
        return _xlsx(data, limits)
    if media_type.split(";")[0].strip().lower() in CSV_TYPES:
        return [_csv(data, name, limits)]
    raise UnsupportedMediaType(
        "ไม่ใช่ไฟล์ XLSX หรือ CSV (neither an XLSX workbook nor a CSV file: send "
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv)"
    )


def _xlsx(data: bytes, limits: Limits) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_parts(archive, limits)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [_sheet(workbook, name, limits) for name in workbook.sheet_names]
    except (zipfile.BadZipFile, CalamineError, EOFError, ValueError) as exc:
        raise UnsupportedMediaType(
            f"อ่านไฟล์ XLSX ไม่ได้ (not a readable XLSX workbook: {exc})"
        ) from None
    return sheets


def _check_parts(archive: zipfile.ZipFile, limits: Limits) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise UnsafeSpreadsheet(f"the workbook has {len(parts)} parts; at most {MAX_PARTS}")
    names = [p.filename for p in parts]
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise zipfile.BadZipFile("no [Content_Types].xml or xl/workbook.xml")
    if any(n.startswith(MACRO_PARTS) for n in names) or b"macroEnabled" in archive.read(
        "[Content_Types].xml"
    ):
        raise UnsafeSpreadsheet(
            "สมุดงานมีมาโคร ให้บันทึกเป็น .xlsx ที่ไม่มีมาโคร "
            "(the workbook holds macros: save it as a macro-free .xlsx)"
        )
    linked = sorted(n for n in names if n.startswith(LINK_PARTS))
    if linked:
        raise UnsafeSpreadsheet(
            "สมุดงานลิงก์ไปยังไฟล์หรือแหล่งข้อมูลภายนอก ให้วางเป็นค่าแล้วบันทึกใหม่ "
            f"(the workbook links to outside files or data sources: {', '.join(linked)}; "
            "paste them as values and save again)"
        )
    unpacked = 0
    for part in parts:
        unpacked = _inflate(archive, part, unpacked, limits.unpacked_bytes)


def _inflate(archive: zipfile.ZipFile, part: zipfile.ZipInfo, so_far: int, limit: int) -> int:
    """Inflate one part, counting; past the limit the workbook is refused as a zip bomb."""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            so_far += len(chunk)
            if so_far > limit:
                raise PayloadTooLarge(
                    f"สมุดงานเมื่อแตกไฟล์ใหญ่เกิน {limit:,} ไบต์ "
                    f"(the workbook unpacks to more than {limit:,} bytes)"
                )
    return so_far


def _sheet(workbook: CalamineWorkbook, name: str, limits: Limits) -> Sheet:
    sheet = workbook.get_sheet_by_name(name)
    _check_rows(name, sheet.total_height, limits)
    return Sheet(name, [list(row) for row in sheet.to_python(skip_empty_area=False)])


def _csv(data: bytes, name: str, limits: Limits) -> Sheet:
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = data.decode("cp874", errors="replace")
    rows: list[list[CellValue]] = []
    for row in csv.reader(io.StringIO(decoded, newline="")):
        rows.append([_unguarded(v) for v in row])
        _check_rows(name, len(rows), limits)
    return Sheet(name, rows)


def _unguarded(value: str) -> str:
    """A CSV cell without the apostrophe that keeps a spreadsheet program from running it."""
    return value[1:] if value[:1] == "'" and value[1:2] in {"=", "+", "-", "@"} else value


def _check_rows(name: str, count: int, limits: Limits) -> None:
    if count > limits.rows:
        raise PayloadTooLarge(
            f"แผ่นงาน {name} มีเกิน {limits.rows:,} แถว "
            f"(sheet {name} has more than {limits.rows:,} rows)",
            sheet=name,
        )
