"""``kgservice bench``: generate (or reuse) a synthetic country, load it, and measure the service
against pyoxigraph in-process, ``oxigraph serve`` and rdflib-endpoint on the same data."""

import argparse
import shlex
import sys
from pathlib import Path

from kgbench.run import SCALE_NAMES, Options, run

ENGINES = ("oxigraph", "rdflib")


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
    p.add_argument("--cap", type=float, default=d.cap_s, help="seconds allowed per query")
    p.add_argument("--repeats", type=int, default=d.repeats, help="timed runs per query")
    p.add_argument(
        "--budget",
        type=float,
        default=d.budget_s,
        help="seconds of runs per query and engine before stopping early",
    )
    p.add_argument(
        "--load-cap",
        type=float,
        default=d.load_cap_s,
        help="seconds allowed for rdflib-endpoint to load and start",
    )
    p.add_argument(
        "--naive-cap",
        type=float,
        default=d.naive_cap_s,
        help="seconds allowed for pyshacl over the whole graph (0: skip)",
    )
    p.add_argument(
        "--service-load-cap",
        type=float,
        default=d.service_load_cap_s,
        help="seconds allowed for the service's first-start loader (0: skip)",
    )
    p.add_argument(
        "--resume-load",
        action="store_true",
        help="the store holds the generated and reference data from an earlier run "
        "that stopped while deriving: compute the derived graph only",
    )
    p.add_argument("--requests", type=int, default=d.requests, help="throughput: requests")
    p.add_argument("--bound", type=float, default=d.bound_s, help="throughput: seconds at most")
    p.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="other engines to compare, comma-separated: oxigraph,rdflib (or none)",
    )
    p.set_defaults(run=run_command)


def run_command(args: argparse.Namespace) -> int:
    options = Options(
        scale=args.scale,
        seed=args.seed,
        work=args.work,
        docs=args.docs,
        cap_s=args.cap,
        repeats=args.repeats,
        budget_s=args.budget,
        load_cap_s=args.load_cap,
        naive_cap_s=args.naive_cap,
        service_load_cap_s=args.service_load_cap,
        requests=args.requests,
        bound_s=args.bound,
        resume_load=args.resume_load,
        engines=tuple(e for e in args.engines.split(",") if e in ENGINES),
        command="kgservice " + shlex.join(sys.argv[1:]),
    )
    run(options, log=lambda message: print(message, file=sys.stderr, flush=True))
    return 0
