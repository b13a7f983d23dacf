"""Named answers under writes, at national scale: readers ask every named query (the first page,
as a person reads it) while one writer submits a local government's plan every few seconds.

Reports, per named query, the read latency (p50/p95) over the whole run and over the reads
answered within 2 s of a write (which may find the kept answer outdated), the writes' latency
(which includes computing again the kept parts of the provinces each write reaches), answers by
status, and the process's memory peak:
``python -m kgbench.fresh_answers --store DIR [--seconds 60] [--out FILE.md]``.

The store is written to: give it a copy of a national store (``kgservice generate`` then a first
start, or ``kgservice load --by-organisation``)."""

import argparse
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path

from kgbench.client import HttpClient
from kgbench.machine import describe
from kgbench.processes import child_env, rss_mb
from kgbench.servers import kgservice_serve
from kgbench.stats import percentile
from kgbench.workload import bench_queries
from kgservice.settings import Settings

BASE = "https://w3id.org/thaiplan/id/"
PAGE = {"limit": "100"}
NTRIPLES = "application/n-triples"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


@dataclass
class Tally:
    reads: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    after_write: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    writes: list[float] = field(default_factory=list)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    last_write: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, label: str, status: int, seconds: float, started: float) -> None:
        with self.lock:
            self.statuses[("read", status)] += 1
            self.reads[label].append(seconds)
            if started - self.last_write < 2.0 and self.last_write:
                self.after_write[label].append(seconds)


def readers(
    port: int, until: float, queries: list[tuple[str, str, dict[str, str]]], tally: Tally
) -> None:
    client = HttpClient(port, 120)
    for label, name, params in cycle(queries):
        if time.monotonic() > until:
            break
        started = time.monotonic()
        target = f"/queries/{name}?" + urllib.parse.urlencode({**params, **PAGE})
        status, seconds, _ = client.send(
            "GET", target, None, {"Accept": "application/sparql-results+json"}
        )
        tally.read(label, status, seconds, started)
    client.close()


def writer(
    port: int, until: float, plans: dict[str, tuple[str, bytes]], every_s: float, tally: Tally
) -> None:
    client = HttpClient(port, 300)
    for i, (org, (token, body)) in enumerate(cycle(plans.items())):
        if time.monotonic() > until:
            break
        note = f'<{BASE}plan/{org}-note> <{COMMENT}> "revision {i}" .\n'
        target = "/data?" + urllib.parse.urlencode({"graph": f"{BASE}graph/{org}"})
        headers = {"Authorization": f"Bearer {token}", "Content-Type": NTRIPLES}
        status, seconds, _ = client.send("PUT", target, body + note.encode(), headers)
        with tally.lock:
            tally.statuses[("write", status)] += 1
            tally.writes.append(seconds)
            tally.last_write = time.monotonic()
        time.sleep(max(0.0, every_s - seconds))
    client.close()


def organisations(port: int, count: int) -> list[str]:
    client = HttpClient(port, 120)
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p <https://w3id.org/thaiplan/ontology#level> "
        "<https://w3id.org/thaiplan/ontology#LocalLevel> } } ORDER BY ?g LIMIT 2000"
    )
    _, body = client.post_query("/sparql", query)
    client.close()
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    names = [g.rsplit("/", 1)[1] for g in graphs if "imperfections" not in g]
    return names[:: max(1, len(names) // count)][:count]


def plan_of(port: int, org: str) -> bytes:
    client = HttpClient(port, 120)
    target = "/data?" + urllib.parse.urlencode({"graph": f"{BASE}graph/{org}"})
    _, _, body = client.send("GET", target, None, {"Accept": NTRIPLES})
    client.close()
    return body


def token(store: Path, tokens: Path, org: str) -> str:
    command = [sys.executable, "-m", "kgservice", "token", "create", "--org", f"{BASE}org/{org}"]
    env = child_env({"KGSERVICE_DATA_DIR": str(store), "KGSERVICE_TOKENS_FILE": str(tokens)})
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def run(options: argparse.Namespace) -> str:
    tokens_file = options.work / "tokens.json"
    options.work.mkdir(parents=True, exist_ok=True)
    tokens_file.unlink(missing_ok=True)
    manifest = json.loads(options.manifest.read_text())
    queries = [(q.label, q.name, q.params) for q in bench_queries(Settings(), manifest["samples"])]
    server = kgservice_serve(options.store, {"KGSERVICE_TOKENS_FILE": str(tokens_file)})
    server.start(options.work / "server.log")
    try:
        assert server.proc is not None
        orgs = organisations(server.port, options.writers_orgs)
        plans = {
            org: (token(options.store, tokens_file, org), plan_of(server.port, org)) for org in orgs
        }
        tally, peak = Tally(), [0.0]
        until = time.monotonic() + options.seconds
        threads = [
            threading.Thread(
                target=readers,
                args=(server.port, until, queries[i :: options.readers] or queries, tally),
            )
            for i in range(options.readers)
        ]
        threads.append(
            threading.Thread(target=writer, args=(server.port, until, plans, options.every, tally))
        )
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            peak[0] = max(peak[0], rss_mb(server.proc.pid) or 0.0)
            time.sleep(0.5)
        return render(options, tally, peak[0], len(orgs))
    finally:
        server.stop()


def ms(samples: list[float]) -> str:
    """p50 / p95 in milliseconds."""
    if not samples:
        return "-"
    return f"{percentile(samples, 0.5) * 1000:.0f} / {percentile(samples, 0.95) * 1000:.0f}"


def render(options: argparse.Namespace, tally: Tally, peak_mb: float, orgs: int) -> str:
    statuses = {f"{kind}:{status}": n for (kind, status), n in sorted(tally.statuses.items())}
    command = (
        f"python -m kgbench.fresh_answers --store {options.store} --seconds {options.seconds:g} "
        f"--readers {options.readers} --every {options.every:g}"
    )
    lines = [
        "# Named answers under writes (national)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {describe()}.",
        f"Command: `{command}`.",
        f"{options.readers} readers ask every named query's first page (limit=100) in turn; one "
        f"writer PUTs the plan of one of {orgs} local governments (with its own token) every "
        f"{options.every:g} s.",
        "",
        f"Writes: {len(tally.writes)}, p50 / p95 {ms(tally.writes)} ms.",
        f"Answers by status: {statuses}.",
        f"Memory peak of the service: {peak_mb:.0f} MB.",
        "",
        "| named query | reads | p50 / p95 ms | reads < 2 s after a write | their p50 / p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, found in sorted(tally.reads.items()):
        after = tally.after_write.get(label, [])
        lines.append(f"| {label} | {len(found)} | {ms(found)} | {len(after)} | {ms(after)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m kgbench.fresh_answers", description=__doc__)
    p.add_argument("--store", type=Path, required=True, help="a national store, written to")
    p.add_argument(
        "--manifest", type=Path, required=True, help="the generated data's manifest.json"
    )
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--readers", type=int, default=8)
    p.add_argument("--every", type=float, default=2.0, help="seconds between writes (2)")
    p.add_argument("--writers-orgs", type=int, default=30, help="local governments that write (30)")
    p.add_argument("--work", type=Path, default=Path("var/fresh-answers"))
    p.add_argument("--out", type=Path, default=None)
    options = p.parse_args()
    report = run(options)
    if options.out:
        options.out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
