"""A local government's submission through ``kgservice serve`` over a copy of the national store:
``python -m kgbench.national_write --http`` (see ``kgbench.national_write``)."""

import argparse
import json
import os
import re
import statistics
import urllib.parse
from pathlib import Path

from kgbench.client import HttpClient
from kgbench.fresh_answers import BASE, NTRIPLES, mixed, plan_of, token
from kgbench.machine import describe
from kgbench.processes import children
from kgbench.servers import kgservice_serve
from kgbench.stats import percentile
from kgbench.workload import bench_queries
from kgservice.query import named
from kgservice.settings import Settings

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PAGE = {"limit": "100"}
PARTS = ("orphan-projects", "duplicate-candidates", "strategy-coverage", "unsupported-strategies")
"""The answers split by province whose part for the writer's province is read after each write."""
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """User and system time of the service and its worker processes now alive."""
    total = 0.0
    for each in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_bytes().rpartition(b")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICKS
    return total


def retitled(plan: bytes, project: str, revision: int) -> bytes:
    """The plan with ``project``'s Thai title ending in "(revision N)" for an odd ``revision``
    (no longer the title of its twin), as it is for an even one."""
    if revision % 2 == 0:
        return plan
    pattern = re.compile(rf'^<{re.escape(project)}> {re.escape(LABEL)} "(.*)"@th \.$', re.M)
    found = pattern.search(plan.decode())
    assert found is not None, f"{project} has no Thai title in its plan"
    line = f'<{project}> {LABEL} "{found.group(1)} (revision {revision})"@th .'
    return pattern.sub(line.replace("\\", "\\\\"), plan.decode(), count=1).encode()


def ask(
    client: HttpClient, name: str, params: dict[str, str], **headers: str
) -> tuple[int, float, bytes]:
    target = f"/queries/{name}?" + urllib.parse.urlencode(params)
    return client.send("GET", target, None, headers)


def run(options: argparse.Namespace) -> None:
    """Prints the figures as one JSON object, then the mixed run's report."""
    work: Path = options.work
    work.mkdir(parents=True, exist_ok=True)
    tokens = work / "tokens.json"
    tokens.unlink(missing_ok=True)
    samples = json.loads(options.manifest.read_text())["samples"]
    queries = bench_queries(Settings(), samples)
    if options.without_national_parts:
        queries = [q for q in queries if not _national_parts(q.name, q.params)]
    env = {"KGSERVICE_TOKENS_FILE": str(tokens), **dict(e.split("=", 1) for e in options.env)}
    server = kgservice_serve(options.store, env)
    figures: dict[str, object] = {"machine": describe(), "load_before": os.getloadavg()}
    figures["start_s"] = round(server.start(work / "server.log"), 2)
    try:
        assert server.proc is not None
        pid = server.proc.pid
        client = HttpClient(server.port, 300)
        cold = {q.label: ask(client, q.name, {**q.params, **PAGE}) for q in queries}
        figures["cold_first_page_ms"] = {k: round(v[1] * 1000) for k, v in cold.items()}
        figures["cold_statuses"] = sorted({v[0] for v in cold.values()})
        province = str(samples["province"])
        for name in PARTS:  # the writer's province's parts, kept to be renewed by its writes
            ask(client, name, {"province": province})
        kept: dict[str, list[float]] = {q.label: [] for q in queries}
        for _ in range(options.reads):
            for q in queries:
                kept[q.label].append(ask(client, q.name, {**q.params, **PAGE})[1])
        figures["kept_p50_ms"] = {k: round(statistics.median(v) * 1000, 1) for k, v in kept.items()}
        figures["writes"] = writes(client, options, pid, province, tokens)
        figures["load_after"] = os.getloadavg()
        client.close()
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        if options.mixed:
            labelled = [(q.label, q.name, q.params) for q in queries]
            print(mixed(_mixed_options(options), server.port, pid, labelled, tokens))
            print(f"load average after: {os.getloadavg()}")
    finally:
        server.stop()


def writes(
    client: HttpClient, options: argparse.Namespace, pid: int, province: str, tokens: Path
) -> dict[str, object]:
    org = options.org
    bearer = token(options.store, tokens, org)
    plan = plan_of(client.port, org)
    target = "/data?" + urllib.parse.urlencode({"graph": f"{BASE}graph/{org}"})
    wall, cpu, fresh, statuses = [], [], [], []
    for n in range(options.times):
        body = retitled(plan, options.project, n)
        used = cpu_s(pid)
        headers = {"Authorization": f"Bearer {bearer}", "Content-Type": NTRIPLES}
        status, seconds, _ = client.send("PUT", target, body, headers)
        cpu.append(cpu_s(pid) - used)
        wall.append(seconds)
        statuses.append(status)
        _, _, pairs = ask(client, "duplicate-candidates", {"province": province})
        shown = (f'"{options.project}"' in pairs.decode()) == (n % 2 == 0)
        equal = all(
            ask(client, name, {"province": province})[2]
            == ask(client, name, {"province": province}, **{"Cache-Control": "no-cache"})[2]
            for name in PARTS
        )
        fresh.append(shown and equal)
    return {
        "organisation": org,
        "statuses": statuses,
        "wall_s": [round(w, 3) for w in wall],
        "cpu_s": [round(c, 3) for c in cpu],
        "first_s": round(wall[0], 3),
        "p50_s": round(percentile(wall, 0.5), 3),
        "p50_cpu_s": round(percentile(cpu, 0.5), 3),
        "fresh_when_returned": f"{sum(fresh)}/{len(fresh)}",
    }


def _national_parts(name: str, params: dict[str, str]) -> bool:
    """Whether the question is a whole country's answer made of every province's part."""
    split = named.find(name, Settings().queries_dir).partition
    return split is not None and split.name not in params


def _mixed_options(options: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(
        store=options.store, seconds=options.mixed, readers=8, every=2.0, writers_orgs=10
    )


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="python -m kgbench.national_write --http")
    p.add_argument("store", type=Path, help="a copy of a national store, written to")
    p.add_argument("org")
    p.add_argument("times", type=int)
    p.add_argument("--project", required=True, help="a project of the organisation with a twin")
    p.add_argument("--manifest", type=Path, required=True)
    p.add_argument("--reads", type=int, default=10, help="reads of each kept first page (10)")
    p.add_argument("--work", type=Path, default=Path("var/national-write"))
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE for the service")
    p.add_argument(
        "--mixed",
        type=float,
        default=0,
        help="then this many seconds of kgbench.fresh_answers' run (8 readers, a write every "
        "2 s from 10 local governments) on the same service",
    )
    p.add_argument(
        "--without-national-parts",
        action="store_true",
        help="leave out the national answers of the queries split by province (computed from "
        "every province's part on a cold start, which the service warms meanwhile)",
    )
    run(p.parse_args(argv))
