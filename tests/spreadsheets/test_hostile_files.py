"""Workbooks the service will not open, each a clear 4xx with nothing changed; formulas are never
evaluated; exported text is never something a spreadsheet program would run."""

import io
import zipfile
from collections.abc import Callable

from conftest import ORG, edited, graph_content, send
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

Token = Callable[..., str]


def with_part(workbook: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr(name, data)
    return out.getvalue()


def replaced_part(workbook: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, change(data) if item.filename == name else data)
    return out.getvalue()


def refused(client: TestClient, body: bytes, secret: str, status: int, code: str) -> str:
    before = graph_content(client)
    answer, found = send(client, body, secret, dry_run=False)
    assert (answer, found["error"]) == (status, code)
    assert graph_content(client) == before
    return str(found["message"])


def test_a_macro_workbook_is_refused(client: TestClient, token: Token, exported: bytes) -> None:
    macros = with_part(exported, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    assert "macro" in refused(client, macros, token(), 422, "unsafe_spreadsheet")


def test_external_links_are_refused(client: TestClient, token: Token, exported: bytes) -> None:
    linked = with_part(exported, "xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    message = refused(client, linked, token(), 422, "unsafe_spreadsheet")
    assert "xl/externalLinks/externalLink1.xml" in message


def test_a_zip_bomb_is_refused_before_it_is_read(
    client: TestClient, token: Token, exported: bytes
) -> None:
    # 200 MB of zeros deflate to about 200 KB
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", b"<Types/>")
        bomb.writestr("xl/workbook.xml", b"<workbook/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * 200 * 1024 * 1024)
    assert len(out.getvalue()) < 1024 * 1024
    assert "unpacks to more than" in refused(
        client, out.getvalue(), token(), 413, "payload_too_large"
    )


def test_a_sheet_past_the_row_limit_is_refused(client: TestClient, token: Token) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "โครงการ"
    for n in range(100_000):
        sheet.append([n])
    out = io.BytesIO()
    book.save(out)
    message = refused(client, out.getvalue(), token(), 413, "payload_too_large")
    assert "โครงการ" in message and "20,000" in message


def test_a_file_of_another_type_is_refused(client: TestClient, token: Token) -> None:
    refused(client, b"%PDF-1.7 not a sheet", token(), 415, "unsupported_media_type")
    refused(
        client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old xls", token(), 415, "unsupported_media_type"
    )
    refused(client, b"PK\x03\x04 broken zip", token(), 415, "unsupported_media_type")


def test_formulas_are_not_evaluated_their_cached_values_are_read(
    client: TestClient, token: Token, exported: bytes
) -> None:
    # K3 (project 1, plan year 2) becomes =SUM(...) with the value 777 cached by a spreadsheet
    # program; the import reads 777 and never evaluates the formula (which would give 0 here)
    def formula(xml: bytes) -> bytes:
        cell = xml.index(b'<c r="K3"')
        end = xml.index(b"</c>", cell) + 4
        return xml[:cell] + b'<c r="K3"><f>SUM(Z1:Z2)</f><v>777</v></c>' + xml[end:]

    sheet = _sheet_part(exported, "โครงการ")
    changed = replaced_part(exported, sheet, formula)
    status, body = send(client, changed, token(), dry_run=False)
    assert status == 200, body
    budget = 'project/1/budget/2567> <https://w3id.org/thaiplan/ontology#amount> "777"'
    assert any(budget in t for t in graph_content(client))


def test_exported_text_that_looks_like_a_formula_stays_text(
    client: TestClient, token: Token, exported: bytes
) -> None:
    evil = '=HYPERLINK("http://attacker.example/","click")'
    status, _ = send(client, edited(exported, {("โครงการ", "F3"): evil}), token(), dry_run=False)
    assert status == 200
    again = client.get(f"/spreadsheets/{ORG}.xlsx").content
    cell = load_workbook(io.BytesIO(again))["โครงการ"]["F3"]
    assert (cell.value, cell.data_type) == (evil, "s")
    csv_text = client.get(f"/spreadsheets/{ORG}.csv?sheet=โครงการ").content.decode("utf-8-sig")
    assert f"'{evil}".replace('"', '""') in csv_text


def test_a_csv_sheet_with_a_guarded_formula_imports_the_text(
    client: TestClient, token: Token, exported: bytes
) -> None:
    evil = "=1+2"
    send(client, edited(exported, {("โครงการ", "F3"): evil}), token(), dry_run=False)
    sheet = client.get(f"/spreadsheets/{ORG}.csv?sheet=โครงการ").content
    before = graph_content(client)
    status, body = send(client, sheet, token(), dry_run=False, media_type="text/csv")
    assert (status, body["results"]) == (200, [])
    assert graph_content(client) == before


def _sheet_part(workbook: bytes, name: str) -> str:
    book = load_workbook(io.BytesIO(workbook))
    index = book.sheetnames.index(name) + 1
    return f"xl/worksheets/sheet{index}.xml"
