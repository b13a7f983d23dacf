"""Router: the site around the data — landing page, query UI, ontology and rules
documentation, the dataset description and the dumps."""

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, StreamingResponse

from kgservice.errors import NotFound
from kgservice.lod.dumps import stream_dump
from kgservice.lod.overview import overview
from kgservice.lod.rules import rules
from kgservice.lod.vocabulary import ontology_sections
from kgservice.lod.void import graph_name, void_triples
from kgservice.namespaces import graph_iri
from kgservice.query.named import load_named_queries
from kgservice.store import Store
from kgservice.web.rdfout import (
    HTML,
    RDF_ONLY,
    cached_rdf,
    choose_representation,
    graph_response,
)
from kgservice.web.templating import page_context, render

router = APIRouter()

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@router.get("/")
def landing(request: Request) -> Response:
    context = page_context(request)
    store, lang = request.app.state.store, context["lang"]
    figures = request.app.state.figures.get(
        store, ("overview", lang), lambda: overview(store, lang)
    )
    dumps = _dump_names(request)
    return render(request, "index.html", context, figures=figures, dumps=dumps)


@router.get("/query")
def query_page(request: Request) -> Response:
    context = page_context(request)
    examples = load_named_queries(request.app.state.settings.queries_dir)
    base_iri = request.app.state.settings.base_iri
    return render(request, "query.html", context, examples=examples, base_iri=base_iri)


@router.get("/ontology")
def ontology_page(request: Request) -> Response:
    return _graph_page(
        request,
        "ontology",
        lambda store, graph, lang: {"sections": ontology_sections(store, graph, lang)},
    )


@router.get("/shapes")
def shapes_page(request: Request) -> Response:
    return _graph_page(
        request, "shapes", lambda store, graph, lang: {"rules": rules(store, graph, lang)}
    )


def _graph_page(
    request: Request, name: str, build: Callable[[Store, str, str], dict[str, object]]
) -> Response:
    """The page documenting ``graph/{name}`` (template ``{name}.html``), or the graph as RDF."""
    graph = graph_iri(request.app.state.settings.base_iri, name)
    if choose_representation(request) != HTML:
        return graph_response(request, graph)
    context = page_context(request)
    content = build(request.app.state.store, graph, context["lang"])
    return render(request, f"{name}.html", context, **content)


@router.get("/void")
@router.get("/.well-known/void")
def void(request: Request) -> Response:
    media_type = choose_representation(request, RDF_ONLY)
    store, base = request.app.state.store, request.app.state.settings.base_iri
    root = str(request.base_url)
    triples = request.app.state.figures.get(
        store, ("void", root), lambda: void_triples(store, base, root)
    )
    return cached_rdf(request, triples, media_type)


@router.get("/dumps/{name}.nq.gz")
def dump(name: str, request: Request) -> Response:
    store = request.app.state.store
    graph = None if name == "all" else graph_iri(request.app.state.settings.base_iri, name)
    if graph is not None and graph not in store.graphs():
        raise NotFound(f"no graph named {name}", graph=graph)
    return StreamingResponse(
        stream_dump(store, graph),
        media_type="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{name}.nq.gz"'},
    )


@router.get("/static/{name}")
def static(name: str) -> Response:
    path = STATIC_DIR / name
    if path.parent != STATIC_DIR or not path.is_file() or path.suffix not in STATIC_TYPES:
        raise NotFound(f"no static file {name}")
    return FileResponse(
        path,
        media_type=STATIC_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )


def _dump_names(request: Request) -> list[str]:
    base, store = request.app.state.settings.base_iri, request.app.state.store
    graphs = request.app.state.figures.get(store, "graphs", store.graphs)
    return sorted(n for g in graphs if (n := graph_name(base, g)))
