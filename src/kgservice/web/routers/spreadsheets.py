"""Router: planning offices' spreadsheets at ``/spreadsheets``: the template, an organisation's
plans as a workbook, an import (or a dry run) from a workbook, and the page that does it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kgservice.spreadsheets import offices
from kgservice.spreadsheets.importing import Upload
from kgservice.web.principal import Writer
from kgservice.web.templating import page_context, render
from kgservice.web.writing import language, writes

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/spreadsheets", response_class=HTMLResponse, summary="Import a workbook: the page")
def page(request: Request) -> Response:
    return render(request, "spreadsheets.html", page_context(request))


@router.get("/spreadsheets/template.xlsx", summary="The blank workbook")
async def template(request: Request, org: str = "") -> Response:
    service = offices.exporter(writes(request))
    org_id = offices.organisation(org) if org else ""
    data = await run_in_threadpool(service.template, org_id)
    return Response(data, media_type=XLSX, headers=_attachment("template.xlsx"))


@router.get("/spreadsheets/{org_id}.xlsx", summary="An organisation's plans as a workbook")
async def workbook(request: Request, org_id: str) -> Response:
    service = offices.exporter(writes(request))
    data = await run_in_threadpool(service.workbook, offices.organisation(org_id))
    return Response(data, media_type=XLSX, headers=_attachment(f"{org_id}.xlsx"))


@router.get("/spreadsheets/{org_id}.csv", summary="One sheet of an organisation's plans as CSV")
async def sheet_csv(request: Request, org_id: str, sheet: str = "โครงการ") -> Response:
    service = offices.exporter(writes(request))
    text = await run_in_threadpool(service.csv, offices.organisation(org_id), sheet)
    headers = _attachment(f"{org_id}.csv")
    return Response(text.encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/spreadsheets/{org_id}", summary="Import a workbook (XLSX, or CSV for one sheet)")
async def import_workbook(
    request: Request,
    org_id: str,
    principal: Writer,
    dry_run: Annotated[bool, Query(alias="dry-run")] = False,
    preview: bool = False,
) -> Response:
    """``preview=true`` adds the sheets as read (``sheets``), for the page that shows them."""
    upload = Upload(
        await request.body(),  # its size is limited by the body-size middleware
        request.headers.get("content-type", ""),
        request.headers.get("x-file-name", ""),
    )
    service = offices.importer(writes(request))
    report = await run_in_threadpool(
        service.run,
        principal,
        offices.organisation(org_id),
        upload,
        dry_run=dry_run,
        lang=language(request),
    )
    body = report.to_json() | {"committed": report.committed}
    if preview:
        body["sheets"] = report.preview()
    if not report.conforms:
        body = {"error": "validation_failed", "message": _REFUSED} | body
    return JSONResponse(body, status_code=200 if report.conforms else 422)


_REFUSED = "แผ่นงานไม่ผ่านการตรวจสอบ ไม่มีการเปลี่ยนแปลง / the sheets break the rules; nothing changed"
