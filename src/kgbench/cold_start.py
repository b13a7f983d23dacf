"""Every named query's first page right after ``kgservice serve`` starts over a national store:
``python -m kgbench.cold_start STORE --manifest MANIFEST [--restart]``.

Starts the service over STORE (a copy: the service saves its kept answers into it), asks each
benchmark question's first page (limit=100) once, in the workload's order, and prints the
milliseconds of each, their p50 and max as one JSON object. With ``--restart`` it then waits
until the national answers are computed whole (their first pages carry ``Total-Count``), stops
the service (which saves what it kept) and starts it again over the same store: the same
questions once more. ``--service-path DIR`` runs the service from another checkout's ``src``
(the code before a change), the harness staying the same. ``--without-search-index`` starts it
without bringing the search index up to date (``SEARCH_AS_IT_IS``): a copy of the national store
has none, building one takes longer than a run may, and a start over a store whose index is
current does no search work; named queries never read it.
"""

import argparse
import http.client
import json
import os
import statistics
import time
import urllib.parse
from pathlib import Path

from kgbench.client import RESULTS_JSON
from kgbench.engines import BenchQuery
from kgbench.servers import Server, kgservice_serve
from kgbench.workload import bench_queries
from kgservice.settings import Settings

PAGE = {"limit": "100"}
SEARCH_AS_IT_IS = (
    "from kgservice.search.upkeep import SearchUpkeep\n"
    "SearchUpkeep.catch_up = lambda self: []\n"
    "from kgservice.cli import main\n"
    "raise SystemExit(main())"
)
"""``kgservice`` with the search index taken as it is (the allocator's restart runs it again)."""
NATIONAL = ("orphan-projects", "duplicate-candidates")
"""The answers split by province whose national first page may come before their total."""


def ask(port: int, name: str, params: dict[str, str]) -> tuple[int, float, bool]:
    """Status, seconds (the whole body read) and whether the total came with the page."""
    target = f"/queries/{name}?" + urllib.parse.urlencode({**params, **PAGE})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", target, headers={"Accept": RESULTS_JSON})
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return response.status, seconds, response.getheader("Total-Count") is not None


def first_pages(port: int, queries: list[BenchQuery]) -> dict[str, object]:
    found = {q.label: ask(port, q.name, q.params) for q in queries}
    ms = [seconds * 1000 for _, seconds, _ in found.values()]
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "max_ms": round(max(ms)),
        "statuses": sorted({status for status, _, _ in found.values()}),
        "ms": {label: round(seconds * 1000, 1) for label, (_, seconds, _) in found.items()},
        "without_total": [label for label, (_, _, total) in found.items() if not total],
    }


def whole(port: int, cap_s: float) -> float:
    """Seconds until both national answers' first pages come with their total."""
    started = time.perf_counter()
    waiting = list(NATIONAL)
    while waiting and time.perf_counter() - started < cap_s:
        if ask(port, waiting[0], {})[2]:
            waiting.pop(0)
        else:
            time.sleep(2)
    return time.perf_counter() - started


def service(options: argparse.Namespace) -> Server:
    env = {"PYTHONPATH": str(options.service_path)} if options.service_path else {}
    server = kgservice_serve(options.store, env)
    if options.without_search_index:
        server.argv[1:3] = ["-c", SEARCH_AS_IT_IS]
    server.start_cap_s = 600  # a first start over a store without its search index builds one
    return server


def run(options: argparse.Namespace) -> dict[str, object]:
    options.work.mkdir(parents=True, exist_ok=True)
    queries = bench_queries(Settings(), json.loads(options.manifest.read_text())["samples"])
    figures: dict[str, object] = {"load_before": os.getloadavg()}
    server = service(options)
    figures["start_s"] = round(server.start(options.work / "server.log"), 2)
    try:
        figures["cold"] = first_pages(server.port, queries)
        if options.restart:
            figures["whole_after_s"] = round(whole(server.port, options.cap), 1)
            server.stop()
            server = service(options)
            figures["restart_s"] = round(server.start(options.work / "server.log"), 2)
            figures["restarted"] = first_pages(server.port, queries)
    finally:
        server.stop()
    figures["load_after"] = os.getloadavg()
    return figures


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m kgbench.cold_start", description=__doc__)
    p.add_argument("store", type=Path, help="a copy of a national store, written to")
    p.add_argument("--manifest", type=Path, required=True)
    p.add_argument("--restart", action="store_true")
    p.add_argument("--cap", type=float, default=180, help="seconds to wait for the totals (180)")
    p.add_argument("--service-path", type=Path, default=None)
    p.add_argument("--without-search-index", action="store_true")
    p.add_argument("--work", type=Path, default=Path("var/cold-start"))
    print(json.dumps(run(p.parse_args()), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
