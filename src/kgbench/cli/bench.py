"""``kgservice bench``: generate (or reuse) a synthetic country, load it, and measure the service
against pyoxigraph in-process, ``oxigraph serve`` and rdflib-endpoint on the same data."""

import argparse
import shlex
import sys
from pathlib import Path

from kgbench.run import SCALE_NAMES, Options, run

ENGINES = ("oxigraph", "rdflib", "virtuoso")


LIMITS = {  # option: (Options field, help)
    "--cap": ("cap_s", "seconds allowed per query"),
    "--budget": ("budget_s", "seconds of runs per query and engine before stopping early"),
    "--load-cap": ("load_cap_s", "seconds allowed for rdflib-endpoint to load and start"),
    "--naive-cap": ("naive_cap_s", "seconds allowed for pyshacl over the whole graph (0: skip)"),
    "--service-load-cap": (
        "service_load_cap_s",
        "seconds allowed for the service's first-start loader (0: skip)",
    ),
    "--bound": ("bound_s", "throughput: seconds at most"),
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bench", help="benchmark the service on a generated country of plans")
    d = Options(scale="small")
    p.add_argument(
        "--scale",
        choices=SCALE_NAMES,
        default="small",
        help="bundled: the bundled data alone; the others generate a country",
    )
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--work", type=Path, default=d.work, help="generated data and stores")
    p.add_argument("--docs", type=Path, default=d.docs, help="where the .md and .json go")
    p.add_argument("--repeats", type=int, default=d.repeats, help="timed runs per query")
    p.add_argument("--requests", type=int, default=d.requests, help="throughput: requests")
    for option, (field, text) in LIMITS.items():
        p.add_argument(
            option, type=float, dest=field, metavar="SECONDS", default=getattr(d, field), help=text
        )
    p.add_argument(
        "--resume-load",
        action="store_true",
        help="the store holds the generated and reference data from an earlier run "
        "that stopped while deriving: compute the derived graph only",
    )
    p.add_argument(
        "--engines",
        default=",".join(d.engines),
        help="other engines to compare, comma-separated: oxigraph,rdflib,virtuoso (or none; "
        "virtuoso also measures the service over oxigraph serve and Virtuoso, with one and two "
        "service processes)",
    )
    p.set_defaults(run=run_command)


def run_command(args: argparse.Namespace) -> int:
    options = Options(
        scale=args.scale,
        seed=args.seed,
        work=args.work,
        docs=args.docs,
        repeats=args.repeats,
        requests=args.requests,
        resume_load=args.resume_load,
        engines=tuple(e for e in args.engines.split(",") if e in ENGINES),
        command="kgservice " + shlex.join(sys.argv[1:]),
        **{field: getattr(args, field) for field, _ in LIMITS.values()},
    )
    run(options, log=lambda message: print(message, file=sys.stderr, flush=True))
    return 0
