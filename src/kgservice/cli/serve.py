"""``kgservice serve``: load the bundled data if needed, then start the HTTP service."""

import argparse
import logging

from kgservice.cli.common import add_store_options, settings_from


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve",
        help="start the service (loads the bundled data on first start)",
        description="Start the HTTP service. The first start loads the ontology, the shapes and "
        "the bundled data into the store; later starts reuse it.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from kgservice import allocator
    from kgservice.web.app import create_app, warm_answers

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("kgservice.serve").info("memory allocator: %s", allocator.in_use())
    settings = settings_from(args)
    app = create_app(settings)  # bootstraps the store before the first request
    warm_answers(app)
    # uvicorn picks httptools and uvloop (dependencies for that) over its pure-Python HTTP parser
    # and event loop: half of a small request's time in the server. Its proxy-header handling
    # names the client (for the share of heavy queries) only behind the proxies configured.
    trusted = settings.trusted_proxies
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        access_log=False,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
    return 0
