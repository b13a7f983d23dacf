"""Query plans with timings for the slowest named queries of a finished run:
``python -m kgbench.profile SCALE [N]`` runs ``oxigraph query --explain --stats`` on the
run's store copy for the N queries with the highest median through the service, and writes each
plan to ``docs/benchmarks/profiles/{scale}-{query}.txt``."""

import json
import subprocess
import sys
from pathlib import Path

from kgbench.engines import BenchQuery
from kgbench.generate.manifest import MANIFEST
from kgbench.report import NAMED
from kgbench.servers import OXIGRAPH
from kgbench.workload import bench_queries
from kgservice.settings import PROJECT_ROOT, Settings

DOCS = PROJECT_ROOT / "docs" / "benchmarks"
WORK = PROJECT_ROOT / "var" / "bench"


def slowest(report: dict[str, object], count: int) -> list[str]:
    queries: dict[str, dict[str, dict[str, object]]] = report["queries"]  # type: ignore[assignment]

    def median(label: str) -> float:
        cell = queries[label].get(NAMED, {})
        return float(cell.get("median_ms", float("inf")))  # type: ignore[arg-type]

    return sorted(queries, key=median, reverse=True)[:count]


def explain(store: Path, query: BenchQuery, out: Path, cap_s: float) -> str:
    text_file = out.with_suffix(".rq")
    text_file.write_text(query.inline_text, encoding="utf-8")
    argv = [
        str(OXIGRAPH),
        "query",
        "--location",
        str(store),
        "--query-file",
        str(text_file),
        "--results-format",
        "tsv",
        "--explain-file",
        str(out),
        "--stats",
    ]
    try:
        subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=cap_s, check=True
        )
    except subprocess.TimeoutExpired:
        return f"{query.label}: over cap ({cap_s:.0f} s), no plan"
    return f"{query.label}: {out}"


def profile(scale: str, count: int, *, seed: int = 1, cap_s: float = 300) -> list[str]:
    report = json.loads((DOCS / f"{scale}.json").read_text("utf-8"))
    root = WORK / f"{scale}-{seed}"
    samples = json.loads((root / "data" / MANIFEST).read_text("utf-8"))["samples"]
    by_label = {q.label: q for q in bench_queries(Settings(), samples)}
    (DOCS / "profiles").mkdir(parents=True, exist_ok=True)
    return [
        explain(
            root / "store-copy",
            by_label[label],
            DOCS / "profiles" / f"{scale}-{label.split()[0]}.txt",
            cap_s,
        )
        for label in slowest(report, count)
    ]


if __name__ == "__main__":
    for line in profile(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2):
        print(line)
