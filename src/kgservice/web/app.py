"""The application factory: ``create_app(settings)`` builds the FastAPI app around one store."""

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from kgservice import __version__
from kgservice.bootstrap import bootstrap
from kgservice.errors import KgError
from kgservice.query import named
from kgservice.query.answer_cache import Figures, kept_answers
from kgservice.query.isolation import isolation_for
from kgservice.query.turns import Turns
from kgservice.search import open_search
from kgservice.search.deferred import DeferredSearch
from kgservice.search.following import following
from kgservice.services.writes import WriteService
from kgservice.settings import Settings
from kgservice.store import Store, open_store
from kgservice.web.middleware import BodySizeLimit, ReadCors, RequestLog, SecurityHeaders
from kgservice.web.routers import ROUTERS, queries

_LOG = logging.getLogger("kgservice.serve")


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if app.state.answers is not None:
            app.state.answers.close()
        app.state.search.index.close()
        if app.state.isolation is not None:
            app.state.isolation.close()
        if store is None:
            app.state.store.close()

    app = FastAPI(
        title="kgservice",
        version=__version__,
        summary="Thailand's development plans as a knowledge graph",
        lifespan=lifespan,
        # Swagger UI and ReDoc need inline script and a CDN, which the pages' policy forbids
        # (web/middleware.py); /openapi.json stays.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.state.writes = WriteService(app.state.store, settings)
    app.state.figures = Figures()
    app.state.turns = Turns(settings)
    app.state.isolation = isolation_for(app.state.store, settings, app.state.turns)
    app.state.answers = kept_answers(
        settings, app.state.store, app.state.isolation, app.state.turns
    )
    if app.state.isolation is not None:
        app.state.writes.after_commit.append(app.state.isolation.written)
    if settings.load_bundled_data:
        bootstrap(app.state.store, settings, search=True)
    app.state.bundled_data_loaded = settings.load_bundled_data
    shared = settings.store == "remote"  # other service processes may write to it
    app.state.search = DeferredSearch(
        following(open_search(app.state.store, settings), app.state.store, shared=shared)
    )
    app.state.writes.after_commit.append(app.state.search.written)
    if app.state.answers is not None:
        app.state.answers.restore()  # after the bundled data: saved answers of what it changed go
        app.state.writes.around_commit.append(app.state.answers.fresh.watch)
        app.state.writes.after_commit.append(app.state.answers.renewals.written)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ReadCors)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)
    app.add_exception_handler(KgError, _kg_error)  # type: ignore[arg-type]
    for router in ROUTERS:
        app.include_router(router)
        if router is queries.router:  # the named queries' own routes next, as often asked for
            app.include_router(queries.named_query_routes(settings))
    return app


def warm_answers(app: FastAPI) -> None:
    """Compute the answers that need no parameter but a province (``query.warming``), so that a
    start's first readers find them kept (``kgservice serve``; tests compute what they ask
    for): before the service serves, as many at once as heavy queries may run, each answer
    split by province from one computation; the parts of an answer that this left (over every
    province, past the time limit), or everything without the setting, beside the readers in
    the background, one province's part at a time, not to take their turns. What a restart
    found saved is not computed again."""
    kept, settings = app.state.answers, app.state.settings
    if kept is None:
        return
    queries = named.load_named_queries(settings.queries_dir)
    if settings.warm_answers_before_serving:
        started = time.perf_counter()
        left = kept.warm(queries, at_once=settings.heavy_queries, by_province=False)
        seconds = time.perf_counter() - started
        _LOG.info("kept answers: ready before serving in %.1f s, %d left", seconds, len(left))
        # a whole answer past the limit is its readers' to ask for again, in their own shares
        queries = [query for query in left if query.partition is not None]
    if queries:
        threading.Thread(target=kept.warm, args=(queries,), daemon=True).start()


def _kg_error(request: Request, exc: KgError) -> Response:
    if "text/plain" in request.headers.get("accept", "") and "json" not in request.headers.get(
        "accept", ""
    ):
        return PlainTextResponse(
            f"{exc.code}: {exc.message}\n", status_code=exc.status, headers=_headers(exc)
        )
    body: dict[str, object] = {"error": exc.code, "message": exc.message}
    body.update(exc.details)
    return JSONResponse(body, status_code=exc.status, headers=_headers(exc))


def _headers(exc: KgError) -> dict[str, str] | None:
    """Headers an error asks for, e.g. ``WWW-Authenticate`` on a 401."""
    return getattr(exc, "headers", None)
