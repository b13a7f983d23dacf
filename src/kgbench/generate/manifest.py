"""``manifest.json``: what was generated and the answer sizes the named questions should find."""

import hashlib
import json
from pathlib import Path

from kgbench.generate.areas import Province
from kgbench.generate.context import Context
from kgbench.generate.scales import Scale

MANIFEST = "manifest.json"
SUBMISSION_TRIPLES = 3000  # the size of a typical local government's plan submission
SAMPLE_PROVINCE = "40"
SAMPLE_YEAR = 2567


def fingerprint() -> str:
    """Changes whenever the generator's code does, so stale generated data is not reused."""
    sha = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        sha.update(module.read_bytes())
    return sha.hexdigest()[:16]


def build_manifest(
    scale: Scale, seed: int, ctx: Context, files: dict[str, int], provinces: list[Province]
) -> dict[str, object]:
    c = ctx.counts
    return {
        "scale": scale.name,
        "seed": seed,
        "generator": fingerprint(),
        "summary": scale.summary,
        "triples": {
            "total": sum(files.values()),
            "imperfections": sum(n for f, n in files.items() if f.startswith("imperfections/")),
        },
        "files": len(files),
        "organisations": {
            "provincial_office": c["agreements"],
            "pao": c["org_pao"],
            "mun": c["org_mun"],
            "sao": c["org_sao"],
            "special": c["org_bma"],
        },
        "plans": {"provincial": c["agreements"], "local": c["local_plans"]},
        "provincial_strategies": c["provincial_strategies"],
        "local_strategies": c["strategies"],
        "projects": {"linked": c["projects"], "orphan": c["orphan_projects"]},
        "expected": {
            "orphan_projects": c["orphan_projects"],
            "duplicate_pairs": c["duplicate_pairs"],
            "out_of_period_allocations": c["out_of_period_allocations"],
            "indicators_without_target": c["indicators_without_target"],
            "unsupported_provincial_strategies": c["unsupported_provincial_strategies"],
            "parallel_plan_pairs": c["parallel_plan_pairs"],
            "agreements": c["agreements"],
        },
        "samples": _samples(ctx, files, provinces),
    }


def _samples(ctx: Context, files: dict[str, int], provinces: list[Province]) -> dict[str, object]:
    """Parameters for the named questions, and the submission to validate."""
    codes = [p.area.code for p in provinces]
    province = SAMPLE_PROVINCE if SAMPLE_PROVINCE in codes else codes[0]
    local = sorted(f for f in files if f.startswith("lao-") and f[8:10] == province)[0]
    submission = min(
        (f for f in files if f.startswith("lao-")),
        key=lambda f: (abs(files[f] - SUBMISSION_TRIPLES), f),
    )
    return {
        "province": f"{ctx.base}area/{province}",
        "provincial_strategy": f"{ctx.base}plan/provincial-{province}-2566-2570/strategy/1",
        "project": f"{ctx.base}plan/{local}-2566-2570/project/1",
        "organisation": f"{ctx.base}org/lao-pao-{province}",
        "fiscal_year": SAMPLE_YEAR,
        "submission": f"{submission}.nt",
        "submission_triples": files[submission],
    }


def write_manifest(out: Path, manifest: dict[str, object]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (out / MANIFEST).write_text(text, encoding="utf-8")
