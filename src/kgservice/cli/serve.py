"""``kgservice serve``: start the HTTP service."""

import argparse

from kgservice.cli.common import add_store_options, settings_from


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="start the service (loads the bundled data on first start)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from kgservice.app import create_app

    uvicorn.run(create_app(settings_from(args)), host=args.host, port=args.port)
    return 0
