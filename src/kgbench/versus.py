"""Two versions of the service in one run: the benchmark's named queries through HTTP, asked in
turn of ``kgservice serve`` from one source tree and from another, each on its own copy of one
store, every answer computed (``Cache-Control: no-cache``). Each round asks both, in alternating
order; the paired ratio (the new version's time over the old one's within a round, median over
the rounds) is the figure to read, since a round's two requests share the machine's state.

    python -m kgbench.versus OLD_SRC NEW_SRC STORE_A STORE_B --data GENERATED [--runs 9]
        [--only LABEL,...] [--out FILE.json]

``OLD_SRC`` and ``NEW_SRC`` are ``src`` folders (of a ``git worktree`` of each commit);
``GENERATED`` is the generated country whose ``manifest.json`` gives the parameters.
"""

import argparse
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from kgbench.client import HttpClient
from kgbench.engines import BenchQuery
from kgbench.servers import Server, kgservice_serve
from kgbench.workload import bench_queries
from kgservice.settings import PROJECT_ROOT, Settings

NO_CACHE = {"Cache-Control": "no-cache"}
VERSIONS = ("old", "new")


@dataclass
class Timings:
    ms: dict[str, list[float]] = field(default_factory=lambda: {v: [] for v in VERSIONS})
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        paired = [new / old for old, new in zip(self.ms["old"], self.ms["new"], strict=True)]
        return {
            "old_ms": round(statistics.median(self.ms["old"]), 2),
            "new_ms": round(statistics.median(self.ms["new"]), 2),
            "paired_new_over_old": round(statistics.median(paired), 3),
            "rows": self.rows,
            "runs_ms": {v: [round(t, 2) for t in self.ms[v]] for v in VERSIONS},
        }


def main() -> None:
    args = _arguments()
    samples = json.loads((args.data / "manifest.json").read_text("utf-8"))["samples"]
    queries = [
        q
        for q in bench_queries(Settings(), samples)
        if args.only is None or q.label in args.only.split(",")
    ]
    servers = {
        "old": _server(args.old_src, args.store_a),
        "new": _server(args.new_src, args.store_b),
    }
    log = PROJECT_ROOT / "var" / "versus.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        for server in servers.values():
            server.start(log)
        clients = {v: HttpClient(s.port, 600) for v, s in servers.items()}
        report = {q.label: _measure(q, clients, args.runs).summary() for q in queries}
    finally:
        for server in servers.values():
            server.stop()
    for label, figures in report.items():
        print(label, figures["old_ms"], figures["new_ms"], figures["paired_new_over_old"])
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=1), "utf-8")


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.versus", description=__doc__)
    p.add_argument("old_src", type=Path)
    p.add_argument("new_src", type=Path)
    p.add_argument("store_a", type=Path, help="a copy of the store for the old version")
    p.add_argument("store_b", type=Path, help="another copy of it for the new version")
    p.add_argument("--data", type=Path, required=True, help="the generated country")
    p.add_argument("--runs", type=int, default=9, help="timed rounds per query, after a warm-up")
    p.add_argument("--only", help="comma-separated query labels (default: all)")
    p.add_argument("--out", type=Path, help="where to write the figures as JSON")
    return p.parse_args()


def _server(src: Path, store: Path) -> Server:
    limits = {"KGSERVICE_QUERY_TIMEOUT_S": "600", "KGSERVICE_MAX_RESULT_ROWS": str(10**8)}
    return kgservice_serve(store, {"PYTHONPATH": str(src), **limits})


def _measure(query: BenchQuery, clients: dict[str, HttpClient], runs: int) -> Timings:
    timings = Timings()
    for round_ in range(runs + 1):  # the first round warms both up
        order = VERSIONS if round_ % 2 == 0 else VERSIONS[::-1]
        for version in order:
            seconds, body = clients[version].get(f"/queries/{query.name}", query.params, NO_CACHE)
            timings.rows[version] = len(json.loads(body)["results"]["bindings"])
            if round_:
                timings.ms[version].append(seconds * 1000)
    return timings


if __name__ == "__main__":
    main()
