"""``kgservice generate``: write a synthetic country of plans for benchmarks."""

import argparse
import json
from pathlib import Path

from kgbench.generate import SCALES, generate
from kgservice.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "generate",
        help="write a synthetic country of plans (one N-Triples file per organisation)",
        description="; ".join(f"{s.name}: {s.summary}" for s in SCALES.values()),
    )
    p.add_argument("--scale", choices=sorted(SCALES), default="small")
    p.add_argument("--seed", type=int, default=1, help="the same seed gives the same files")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    manifest = generate(
        SCALES[args.scale],
        args.seed,
        args.out,
        areas=settings.bundled_data_dir / "areas.ttl",
        base=settings.base_iri,
    )
    print(json.dumps(manifest["expected"], indent=2))
    triples = manifest["triples"]
    assert isinstance(triples, dict)
    print(f"{triples['total']} triples in {manifest['files']} files under {args.out}")
    return 0
