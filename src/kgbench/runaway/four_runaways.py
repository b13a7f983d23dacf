"""Light-query latency and process-tree memory of a ``kgservice serve`` under four runaway
queries sent at once, each by a client of its own (loopback addresses 127.0.0.11-14):
``python -m kgbench.runaway.four_runaways [--in-process] [--memory] [--seconds S]
[--query-timeout-s T]``; with ``--memory`` the server loads the bundled data into a store in
memory at its start.

One client asks the label query every 50 ms and reads the resident memory of the server and its
children each time; past 4 GB the server is killed, before it takes the machine. Each runaway's
answer is reported with its error code and time: the first two are the load test's
(``kgbench.mixed_load``)."""

import argparse
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kgbench.processes import children, kill, rss_mb
from kgbench.runaway import LABEL_QUERY, WORK
from kgbench.runaway.service import bundled_store, serve, sparql_get
from kgbench.servers import Server
from kgbench.stats import percentile

RUNAWAY = {
    "ORDER BY RAND()": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND() LIMIT 1",
    "COUNT": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(?c != ?f) }",
    "GROUP BY": "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a",
    "cross product": (
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) < 0) }"
    ),
}
TIMEOUT_S = 120
TREE_LIMIT_MB = 4000


@dataclass
class Figures:
    quiet_ms: list[float]
    busy: list[tuple[int, float]] = field(default_factory=list)  # light: status, ms
    peak_mb: float = 0.0
    after_mb: float = 0.0
    runaways: dict[str, str] = field(default_factory=dict)  # those answered by the end

    def line(self, workers: bool) -> str:
        quiet, ms = self.quiet_ms, [ms for status, ms in self.busy if status == 200]
        return (
            f"isolate={int(workers)} quiet p50 {statistics.median(quiet):.3f} ms"
            f" p95 {percentile(quiet, 0.95):.3f}"
            f" | during runaways: {len(ms)}/{len(self.busy)} light answered,"
            f" p50 {statistics.median(ms) if ms else -1:.1f} ms"
            f" p95 {percentile(ms, 0.95) if ms else -1:.1f} ms,"
            f" statuses {sorted({status for status, _ in self.busy})};"
            f" tree RSS peak {self.peak_mb:.0f} MB, after {self.after_mb:.0f} MB;"
            f" runaway answers: {'; '.join(f'{k}: {v}' for k, v in self.runaways.items())}"
        )


def tree_rss_mb(pid: int) -> float:
    """Resident memory of the server and its children (the query workers)."""
    return sum(rss_mb(member) or 0.0 for member in (pid, *children(pid)))


def quiet_ms(port: int) -> list[float]:
    """The label query alone: 20 warm-ups, then 300 timed."""
    for _ in range(20):
        sparql_get(port, LABEL_QUERY, TIMEOUT_S)
    return [sparql_get(port, LABEL_QUERY, TIMEOUT_S)[1] for _ in range(300)]


def send_runaways(port: int) -> tuple[list[threading.Thread], dict[str, str]]:
    """The four queries at once, each from its own address; each one's answer (status, error
    code, seconds) goes into the dict when it comes."""
    answers: dict[str, str] = {}

    def send(name: str, query: str, source: str) -> None:
        status, ms, error = sparql_get(port, query, TIMEOUT_S, source)
        answers[name] = f"{status} {error} after {ms / 1000:.1f} s".replace("  ", " ")

    threads = [
        threading.Thread(target=send, args=(name, query, f"127.0.0.{11 + i}"), daemon=True)
        for i, (name, query) in enumerate(RUNAWAY.items())
    ]
    for thread in threads:
        thread.start()
    return threads, answers


def watch(port: int, proc: subprocess.Popen[bytes], seconds: float, figures: Figures) -> None:
    """The label query every 50 ms and the tree's peak memory, for ``seconds`` or until the
    tree passes the limit."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        figures.busy.append(sparql_get(port, LABEL_QUERY, TIMEOUT_S)[:2])
        figures.peak_mb = max(figures.peak_mb, tree_rss_mb(proc.pid))
        time.sleep(0.05)
        if figures.peak_mb > TREE_LIMIT_MB:
            print(f"stopped: the process tree passed 4 GB after {time.monotonic() - start:.1f} s")
            kill(proc)
            break


def measure(server: Server, seconds: float) -> Figures:
    assert server.proc is not None
    figures = Figures(quiet_ms(server.port))
    threads, answers = send_runaways(server.port)
    watch(server.port, server.proc, seconds, figures)
    for thread in threads:
        thread.join(timeout=1)
    figures.after_mb = tree_rss_mb(server.proc.pid)
    figures.runaways = dict(answers)
    return figures


def main(args: argparse.Namespace) -> None:
    workers = not args.in_process
    limit = {"KGSERVICE_QUERY_TIMEOUT_S": str(args.query_timeout_s)}
    if args.memory:
        limit |= {"KGSERVICE_MEMORY": "true", "KGSERVICE_LOAD_BUNDLED_DATA": "true"}
    store = args.store if args.memory else bundled_store(args.store)
    server = serve(store, port=args.port, workers=workers, log=args.log, env=limit)
    try:
        figures = measure(server, args.seconds)
    finally:
        server.stop()
    print(figures.line(workers))


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.runaway.four_runaways", description=__doc__)
    p.add_argument("--store", type=Path, default=WORK / "store", help="made when missing")
    p.add_argument("--port", type=int, default=0, help="0: a free port")
    p.add_argument(
        "--in-process",
        action="store_true",
        help="KGSERVICE_QUERY_PROCESSES=false: queries in the service's threads, not in workers",
    )
    p.add_argument("--memory", action="store_true", help="a store in memory, not --store")
    p.add_argument("--seconds", type=float, default=40, help="how long the runaways run")
    p.add_argument("--query-timeout-s", type=float, default=30, help="the service's time limit")
    p.add_argument("--log", type=Path, default=WORK / "servers.log", help="the server's output")
    return p.parse_args()


if __name__ == "__main__":
    main(arguments())
