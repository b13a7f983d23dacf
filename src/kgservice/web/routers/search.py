"""Router: ``/search`` (HTML and JSON) and ``/search/suggest``, over the word index."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from kgservice.errors import BadRequest
from kgservice.lod.search import describe_hits
from kgservice.search.query import MAX_LIMIT, Filters, Results, search, suggest
from kgservice.web.templating import page_context, render

router = APIRouter()


@router.get("/search")
def search_page(
    request: Request,
    q: str = "",
    type: Annotated[list[str] | None, Query()] = None,
    within: str | None = None,
    limit: int = 20,
    offset: int = 0,
    format: str | None = None,
) -> Response:
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise BadRequest(f"limit must be 1 to {MAX_LIMIT} and offset at least 0", parameter="limit")
    filters = Filters(tuple(type or ()), within or None)
    index = request.app.state.search.index
    if _wants_json(request, format):
        results = search(index, q, filters=filters, limit=limit, offset=offset)
        return JSONResponse(_json(q, results))
    context = page_context(request)
    results = search(
        index, q, filters=filters, limit=limit, offset=offset, lang=context["lang"], facets=True
    )
    page = describe_hits(request.app.state.store, results, context["lang"])
    return render(
        request,
        "search.html",
        context,
        q=q,
        results=results,
        page=page,
        filters=filters,
        limit=limit,
        offset=offset,
    )


@router.get("/search/suggest")
def suggest_route(request: Request, q: str = "") -> Response:
    found = suggest(request.app.state.search.index, q)
    return JSONResponse({"suggestions": [{"iri": iri, "label": label} for iri, label in found]})


def _wants_json(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _json(q: str, results: Results) -> dict[str, Any]:
    hits = [
        {"iri": h.iri, "label": h.label, "lang": h.lang, "types": h.types, "score": h.score}
        for h in results.hits
    ]
    return {"q": q, "total": results.total, "results": hits}
