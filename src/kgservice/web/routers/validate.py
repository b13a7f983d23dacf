"""``POST /validate``: plan RDF in, the SHACL report out (JSON summary or the report graph).

Nothing is stored. A parse error is a 400 naming line and column; an unknown Content-Type a 415;
a body over the limit of bytes, triples or blank nodes a 413, one nested too deep a 422. The body
is parsed and validated in a worker thread, so other requests are answered meanwhile.
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kgservice.query.negotiation import choose
from kgservice.rdfinput import BodyLimits, parse_rdf, rdf_format
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.validation import ValidationReport, validate
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
    body, store = await request.body(), request.app.state.store
    report = await run_in_threadpool(_parse_and_validate, store, body, content_type, settings)
    vary = {"Vary": "Accept, Accept-Language"}
    if answer == SUMMARY:
        lang = preferred_language(request.headers.get("accept-language"))
        headers = {**vary, "Content-Language": lang}
        return JSONResponse(report.to_json(lang), headers=headers)
    return response(report.to_rdf(), answer, headers=vary)


def _parse_and_validate(
    store: Store, body: bytes, content_type: str, settings: Settings
) -> ValidationReport:
    submission = parse_rdf(body, content_type, limits=BodyLimits.of(settings))
    return validate(store, submission, settings=settings)
