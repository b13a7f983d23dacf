"""Mixed traffic on one ``kgservice serve`` of the bundled data: light and heavy ``/sparql``
queries, named queries, writes from several organisations and hostile inputs at once, from
threads on loopback; light-query latency, answers by status, the process tree's memory peak and
whether every accepted write is in the store afterwards:
``python -m kgbench.mixed_load [--seconds 60] [--out docs/benchmarks/mixed-load.md]``."""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path

from kgbench.client import HttpClient, OverCap
from kgbench.machine import describe
from kgbench.processes import child_env, children, rss_mb
from kgbench.runaway import LABEL_QUERY
from kgbench.runaway.service import bundled_store
from kgbench.servers import Server, kgservice_serve
from kgbench.stats import percentile
from kgservice.settings import PROJECT_ROOT

WORK = PROJECT_ROOT / "var" / "mixed-load"
SAMPLES = PROJECT_ROOT / "data" / "ttl" / "sample"
BASE = "https://w3id.org/thaiplan/id/"
MARKER = "mixed-load "
ACCEPTED = (200, 201, 204)
NO_CACHE = {"Cache-Control": "no-cache"}
TURTLE = {"Content-Type": "text/turtle"}

# (method, target, body, headers)
Request = tuple[str, str, bytes | None, dict[str, str]]


def sparql(query: str, headers: dict[str, str] | None = None) -> Request:
    return "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), None, headers or {}


def named(name: str, headers: dict[str, str] | None = None, **params: str) -> Request:
    return "GET", f"/queries/{name}?" + urllib.parse.urlencode(params), None, headers or {}


def graph_target(org: str) -> str:
    return "/data?" + urllib.parse.urlencode({"graph": f"{BASE}graph/{org}"})


def put(org: str, token: str, body: bytes, content_type: str = "text/turtle") -> Request:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    return "PUT", graph_target(org), body, headers


LIGHT = [
    sparql(LABEL_QUERY),
    sparql("ASK { ?s a <https://w3id.org/thaiplan/ontology#Plan> }"),
]
STRATEGY = f"{BASE}plan/provincial-40-2566-2570/strategy/1"
NAMED = [
    named("supporting-local-plans", strategy=STRATEGY),
    named("supporting-local-plans", NO_CACHE, strategy=STRATEGY),
    named("strategy-coverage", province=f"{BASE}area/40"),
    named("strategy-coverage", NO_CACHE, province=f"{BASE}area/40"),
]
HEAVY = [
    sparql("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND() LIMIT 1"),
    sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(?c != ?f) }"),
]


def hostile(orgs: dict[str, str]) -> dict[str, Request]:
    """Requests that must each get a 4xx; ``orgs`` maps organisation ids to their tokens."""
    (first, token), (second, _) = list(orgs.items())[:2]
    sample = (SAMPLES / f"{first}.ttl").read_bytes()
    return {
        "query syntax error": sparql("SELECT * WHERE { ?s ?p }"),
        "SERVICE to an endpoint not allowed": sparql(
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        ),
        "bad /id/ path": ("GET", "/id/%ZZ", None, {}),
        "unknown media type": put(first, token, sample, "application/x-unknown"),
        "Turtle syntax error": put(first, token, b"<a> <b> ."),
        "another organisation's graph": put(second, token, sample),
        "update without a token": (
            "POST",
            "/sparql",
            b"INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
            {"Content-Type": "application/sparql-update"},
        ),
    }


@dataclass
class Tally:
    """What the threads saw, each list and counter guarded by one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    hostile: dict[str, Counter[int]] = field(default_factory=dict)
    accepted: Counter[str] = field(default_factory=Counter)
    last_marker: dict[str, str] = field(default_factory=dict)
    refusals: dict[str, list[float]] = field(default_factory=dict)
    """The runaway queries' seconds to each error code they were answered with."""

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses.setdefault(kind, Counter())[status] += 1
            if 200 <= status < 300:
                self.seconds.setdefault(kind, []).append(seconds)

    def refused(self, error: str, seconds: float) -> None:
        with self.lock:
            self.refusals.setdefault(error, []).append(seconds)


def send(client: HttpClient, request: Request) -> tuple[int, float, str]:
    """Status (0: no answer within the client's time), seconds and error code of one request."""
    try:
        status, seconds, body = client.send(*request)
    except (OverCap, OSError):
        return 0, client.timeout_s, ""
    return status, seconds, _error(body) if status >= 400 else ""


def _error(body: bytes) -> str:
    try:
        return str(json.loads(body).get("error", ""))
    except (ValueError, AttributeError):
        return ""


def repeat(until: float, port: int, timeout_s: float, step: Callable[[HttpClient], None]) -> None:
    client = HttpClient(port, timeout_s)
    while time.monotonic() < until:
        step(client)
    client.close()


def asking(kind: str, requests: list[Request], tally: Tally) -> Callable[[HttpClient], None]:
    turns = cycle(requests)

    def step(client: HttpClient) -> None:
        status, seconds, error = send(client, next(turns))
        tally.record(kind, status, seconds)
        if error:
            tally.refused(error, seconds)

    return step


def writing(org: str, token: str, tally: Tally) -> Callable[[HttpClient], None]:
    """PUTs of the organisation's sample plan, each with one triple of its own marker."""
    sample = (SAMPLES / f"{org}.ttl").read_text("utf-8")
    numbers: Iterator[int] = iter(range(1, 10**9))

    def step(client: HttpClient) -> None:
        marker = f"{MARKER}{org} {next(numbers)}"
        body = sample + f'\n[] <http://www.w3.org/2000/01/rdf-schema#comment> "{marker}" .\n'
        status, seconds, _ = send(client, put(org, token, body.encode()))
        tally.record("writes", status, seconds)
        if status in ACCEPTED:
            with tally.lock:
                tally.accepted[org] += 1
                tally.last_marker[org] = marker

    return step


def probing(cases: dict[str, Request], tally: Tally) -> Callable[[HttpClient], None]:
    turns = cycle(cases.items())

    def step(client: HttpClient) -> None:
        name, request = next(turns)
        status, seconds, _ = send(client, request)
        tally.record("hostile inputs", status, seconds)
        with tally.lock:
            tally.hostile.setdefault(name, Counter())[status] += 1

    return step


class MemoryPeak(threading.Thread):
    """The resident memory of the service and its worker processes, sampled every 0.5 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.service_peak_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            service = rss_mb(self.pid) or 0.0
            workers = sum(rss_mb(child) or 0.0 for child in children(self.pid))
            self.service_peak_mb = max(self.service_peak_mb, service)
            self.peak_mb = max(self.peak_mb, service + workers)


def create_token(org: str, store: Path, tokens: Path) -> str:
    argv = [sys.executable, "-m", "kgservice", "token", "create"]
    argv += ["--org", f"{BASE}org/{org}", "--data-dir", str(store)]
    env = child_env({"KGSERVICE_TOKENS_FILE": str(tokens)})
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip().splitlines()[-1]


def organisations() -> list[str]:
    return sorted(p.stem for p in SAMPLES.glob("lao-*.ttl"))


def rows(client: HttpClient, query: str) -> list[dict[str, dict[str, str]]]:
    _, body = client.get("/sparql", {"query": query})
    found: list[dict[str, dict[str, str]]] = json.loads(body)["results"]["bindings"]
    return found


def markers(client: HttpClient, org: str) -> set[str]:
    """The markers of the writes that the organisation's graph holds."""
    query = (
        f"SELECT ?c WHERE {{ GRAPH <{BASE}graph/{org}> {{ ?s "
        f'<http://www.w3.org/2000/01/rdf-schema#comment> ?c FILTER(STRSTARTS(?c, "{MARKER}")) }} }}'
    )
    return {row["c"]["value"] for row in rows(client, query)}


def submissions(client: HttpClient, org: str) -> int:
    """The writes to the organisation's graph that the provenance graph records."""
    query = (
        f"SELECT (COUNT(?s) AS ?n) WHERE {{ GRAPH <{BASE}graph/provenance> {{ "
        f"?s <https://w3id.org/thaiplan/ontology#targetGraph> <{BASE}graph/{org}> }} }}"
    )
    return int(rows(client, query)[0]["n"]["value"])


IN_MEMORY = {"KGSERVICE_MEMORY": "true", "KGSERVICE_LOAD_BUNDLED_DATA": "true"}


@dataclass
class Options:
    seconds: float
    work: Path
    query_timeout_s: float = 10.0
    memory: bool = False
    """The bundled data loaded into a store in memory at the server's start (``--memory``)."""
    light_threads: int = 2
    named_threads: int = 2


@dataclass
class Results:
    options: Options
    tally: Tally
    organisations: list[str]
    peak_mb: float
    service_peak_mb: float
    writes_found: int
    recorded: int

    @property
    def writes_check(self) -> bool:
        accepted = sum(self.tally.accepted.values())
        return self.writes_found == len(self.organisations) and self.recorded == accepted

    @property
    def hostile_5xx(self) -> int:
        statuses = self.tally.statuses.get("hostile inputs", Counter())
        return sum(n for status, n in statuses.items() if status >= 500 or status == 0)


def prepare(work: Path) -> tuple[Path, dict[str, str]]:
    """A fresh store of the bundled data and one writer's token per sample organisation."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    store = bundled_store(work / "store")
    orgs = organisations()
    with ThreadPoolExecutor() as pool:  # token create takes a lock: these may run at once
        made = pool.map(lambda org: create_token(org, store, work / "tokens.json"), orgs)
        return store, dict(zip(orgs, made, strict=True))


def run(options: Options) -> Results:
    store, tokens = prepare(options.work)
    server = kgservice_serve(
        store,
        {
            "KGSERVICE_TOKENS_FILE": str(options.work / "tokens.json"),
            "KGSERVICE_QUERY_TIMEOUT_S": str(options.query_timeout_s),
            **(IN_MEMORY if options.memory else {}),
        },
    )
    server.start(options.work / "server.log")
    try:
        return measure(server, options, tokens)
    finally:
        server.stop()


def measure(server: Server, options: Options, tokens: dict[str, str]) -> Results:
    assert server.proc is not None
    check = HttpClient(server.port, 30)
    before = {org: submissions(check, org) for org in tokens}
    tally = Tally()
    memory = MemoryPeak(server.proc.pid)
    memory.start()
    traffic(server.port, options, tokens, tally)
    memory.done.set()
    memory.join()
    found = sum(markers(check, org) == {tally.last_marker.get(org)} for org in tokens)
    recorded = sum(submissions(check, org) - before[org] for org in tokens)
    check.close()
    return Results(
        options, tally, list(tokens), memory.peak_mb, memory.service_peak_mb, found, recorded
    )


def traffic(port: int, options: Options, tokens: dict[str, str], tally: Tally) -> None:
    """Every kind of traffic from its own threads until ``options.seconds`` have passed."""
    steps = [asking("light queries", LIGHT, tally) for _ in range(options.light_threads)]
    steps += [asking("named queries", NAMED, tally) for _ in range(options.named_threads)]
    steps += [asking("heavy queries", [query], tally) for query in HEAVY]
    steps += [writing(org, token, tally) for org, token in tokens.items()]
    steps.append(probing(hostile(tokens), tally))
    until = time.monotonic() + options.seconds
    timeout_s = options.query_timeout_s + 30
    threads = [threading.Thread(target=repeat, args=(until, port, timeout_s, s)) for s in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


KINDS = ("light queries", "named queries", "heavy queries", "writes", "hostile inputs")


def by_status(counts: Counter[int]) -> str:
    """``200: 12, 503: 2``; 0 stands for no answer within the client's time."""
    return ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counts.items()))


def latency(seconds: list[float]) -> str:
    if not seconds:
        return "- | -"
    return f"{percentile(seconds, 0.5) * 1000:.1f} | {percentile(seconds, 0.95) * 1000:.1f}"


def render(results: Results, command: str) -> str:
    tally, options = results.tally, results.options
    machine = describe()
    lines = [
        "# Mixed load on the bundled data",
        "",
        f"`{command}`, {datetime.now(UTC):%Y-%m-%d}: {machine['cpus_usable']} CPUs "
        f"({machine['cpu_model']}), {machine['memory_gib']} GiB, Python {machine['python']}.",
        "",
        "One `kgservice serve` (query workers on, "
        f"`KGSERVICE_QUERY_TIMEOUT_S={options.query_timeout_s:g}`) on a fresh store of the "
        f"bundled data{' in memory (`KGSERVICE_MEMORY=true`)' if options.memory else ''}, "
        f"for {options.seconds:g} s, from threads on "
        f"loopback: {options.light_threads} asking light queries (a label, an ASK), "
        f"{options.named_threads} asking named queries (half with `Cache-Control: no-cache`), "
        f"{len(HEAVY)} asking runaway queries, {len(results.organisations)} organisations each "
        "PUTting its sample plan with a marker of its own, 1 sending hostile inputs. "
        "Latencies are of 2xx answers.",
        "",
        "| traffic | requests | answers by status | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        counts = tally.statuses.get(kind, Counter())
        row = f"| {kind} | {sum(counts.values())} | {by_status(counts)} | "
        lines.append(row + latency(tally.seconds.get(kind, [])) + " |")
    lines += ["", "| hostile input | answers by status |", "| --- | --- |"]
    lines += [f"| {name} | {by_status(counts)} |" for name, counts in tally.hostile.items()]
    accepted = sum(tally.accepted.values())
    refusals = ", ".join(
        f"{error} {len(seconds)} (median {statistics.median(seconds):.1f} s)"
        for error, seconds in sorted(tally.refusals.items())
    )
    lines += [
        "",
        f"- errors of refused queries, with the median time to the answer: {refusals or 'none'}",
        f"- 5xx (or no answer) to hostile inputs: {results.hostile_5xx}",
        f"- process-tree RSS peak (service and its query workers, sampled every 0.5 s): "
        f"{results.peak_mb:.0f} MB; the service alone {results.service_peak_mb:.0f} MB",
        f"- every accepted write is in the store: {'yes' if results.writes_check else 'no'} "
        f"({accepted} accepted; the last accepted one is what the graph holds for "
        f"{results.writes_found} of {len(results.organisations)} organisations; "
        f"{results.recorded} submissions recorded in the provenance graph)",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    args = arguments()
    options = Options(args.seconds, args.work, args.query_timeout, args.memory)
    results = run(options)
    command = "python -m kgbench.mixed_load " + " ".join(sys.argv[1:])
    report = render(results, command.strip())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, "utf-8")
    print(report)


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.mixed_load", description=__doc__)
    p.add_argument("--seconds", type=float, default=60, help="of traffic (60)")
    p.add_argument("--out", type=Path, default=WORK / "mixed-load.md", help="the Markdown report")
    p.add_argument("--work", type=Path, default=WORK, help="store, tokens and log; emptied first")
    p.add_argument("--query-timeout", type=float, default=10, help="the service's, in s (10)")
    p.add_argument("--memory", action="store_true", help="the server's store in memory")
    return p.parse_args()


if __name__ == "__main__":
    main()
