"""``POST /validate``: plan RDF in, the SHACL report out (JSON summary or the report graph).

Nothing is stored. A parse error is a 400 naming line and column; an unknown Content-Type a 415;
a body over the limit a 413.
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kgservice.query.negotiation import choose
from kgservice.rdfinput import parse_rdf, rdf_format
from kgservice.validation import validate
from kgservice.web.answering import response
from kgservice.web.language import preferred_language

router = APIRouter()

SUMMARY = "application/json"
REPORT_TYPES = [SUMMARY, "text/turtle", "application/ld+json", "application/n-triples"]


@router.post("/validate", summary="Validate plan RDF against the linkage rules; stores nothing")
async def validate_submission(request: Request) -> Response:
    settings = request.app.state.settings
    content_type = request.headers.get("content-type", "")
    rdf_format(content_type)  # 415 before reading the body
    answer = choose(request.headers.get("accept"), REPORT_TYPES)
    # The app's BodySizeLimit middleware has already refused a body over the limit (413).
    submission = parse_rdf(await request.body(), content_type, max_bytes=settings.max_body_bytes)
    store = request.app.state.store
    report = await run_in_threadpool(validate, store, submission, settings=settings)
    vary = {"Vary": "Accept, Accept-Language"}
    if answer == SUMMARY:
        lang = preferred_language(request.headers.get("accept-language"))
        headers = {**vary, "Content-Language": lang}
        return JSONResponse(report.to_json(lang), headers=headers)
    return response(report.to_rdf(), answer, headers=vary)
