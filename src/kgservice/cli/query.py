"""``kgservice query``: run a named query (``query NAME --param k=v``) or any SPARQL query
(``query FILE`` or ``query --text QUERY``); an aligned table by default."""

import argparse
import asyncio
import sys
from pathlib import Path

from kgservice.bootstrap import bootstrap
from kgservice.cli import table
from kgservice.cli.common import add_store_options, settings_from
from kgservice.errors import BadRequest
from kgservice.query import named, negotiation, serialise
from kgservice.query.execution import Evaluated, Limits, Solutions
from kgservice.query.guard import check_remote_access
from kgservice.query.isolation import evaluate_in, isolation_for
from kgservice.query.paging import Page
from kgservice.query.prepare import PreparedQuery, prepare
from kgservice.settings import Settings
from kgservice.store import Store, Term, open_store
from kgservice.store.base import Dataset

SOLUTION_FORMATS = ("table", "json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "query",
        help="run a named query or a SPARQL query",
        description="Run a named query (NAME, with --param) or SPARQL from FILE or --text.",
    )
    p.add_argument("target", nargs="?", metavar="NAME|FILE", help="named query or .rq file")
    p.add_argument("--text", help="the SPARQL query itself")
    p.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="named query parameter"
    )
    p.add_argument(
        "--format",
        choices=SOLUTION_FORMATS + GRAPH_FORMATS,
        default="table",
        help="output (default: table)",
    )
    p.add_argument("--limit", type=int, metavar="N", help="at most N rows, in the query's order")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="skip N rows first")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    query, bindings = _query(args, settings)
    check_remote_access(query, settings.allowed_service_endpoints)
    store = _store(settings)
    result = asyncio.run(_evaluated(store, query, bindings, settings))
    page = Page.of({"offset": str(args.offset), **_given("limit", args.limit)})
    _write(page.of_result(result), args.format, settings)
    if not page.whole and isinstance(result, Solutions):
        print(f"{len(result.rows)} rows in all", file=sys.stderr)
    return 0


def _given(name: str, value: int | None) -> dict[str, str]:
    return {} if value is None else {name: str(value)}


async def _evaluated(
    store: Store, query: PreparedQuery, bindings: dict[str, Term], settings: Settings
) -> Evaluated:
    """In a worker process, as a /sparql query is, so that the time and memory limits hold
    (a store in memory is written out for it first); on a remote store, in a thread."""
    isolation = isolation_for(store, settings)
    try:
        return await evaluate_in(
            isolation,
            query,
            lambda q: store.query(q, bindings=bindings),
            Limits.of(settings),
            dataset=Dataset(),
            bindings=bindings,
        )
    finally:
        if isolation is not None:
            isolation.close()


def _query(args: argparse.Namespace, settings: Settings) -> tuple[PreparedQuery, dict[str, Term]]:
    if (args.text is None) == (args.target is None):
        raise _usage("give a query NAME, a FILE or --text QUERY (one of them)")
    if args.text is not None or Path(args.target).is_file():
        if args.param:
            raise _usage("--param applies to named queries only")
        return prepare(args.text or Path(args.target).read_text("utf-8")), {}
    query = named.find(args.target, settings.queries_dir)
    return query.prepared, named.bind(query, _params(args.param))


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise _usage(f"--param must be KEY=VALUE, not '{pair}'")
        params[key] = value
    return params


def _store(settings: Settings) -> Store:
    store = open_store(settings)
    if settings.memory:
        bootstrap(store, settings)
    return store


def _write(result: Evaluated, format: str, settings: Settings) -> None:
    if format == "table" and isinstance(result, Solutions):
        sys.stdout.write(table.render(result.variables, result.rows, base=settings.base_iri))
        return
    graph = isinstance(result, list)
    if format == "table":
        format = "turtle" if graph else "json"
    if graph != (format in GRAPH_FORMATS):
        allowed = GRAPH_FORMATS if graph else SOLUTION_FORMATS
        raise _usage(f"this result cannot be written as {format}; use one of {', '.join(allowed)}")
    media_type = negotiation.FORMAT_NAMES[format]
    for chunk in serialise.serialise(result, media_type):
        sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()


def _usage(message: str) -> BadRequest:
    return BadRequest(message)
