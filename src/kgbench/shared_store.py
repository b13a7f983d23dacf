"""The service over a remote store: ``oxigraph serve`` and Virtuoso side by side, and two service
processes over one store against one.

``python -m kgbench.shared_store DATA WORK [--clients 8] [--seconds 10] [--repeats 3]`` (DATA:
``kgservice generate`` output) prints one JSON object: per engine, the service's first start
into a fresh server (Virtuoso: through its bulk loader), every named query through one service
process computed each time (median milliseconds of the repeats; none with ``--repeats 0``), and
the throughput of one named query at ``--clients`` clients for ``--seconds`` (after a warm-up),
its answer kept and computed, with one service process and with two (the clients shared
between them), from ``wrk`` (``kgbench.wrk``), with the CPU each process took per request.

``--engines`` picks the engines; ``--phase load`` only makes each engine's store in WORK (the
first start), ``--phase measure`` then measures over those stores, so that a large first start
and the measurements can be run apart. ``--service-src`` runs the service processes on the code
in another ``src`` directory (a baseline's), the harness and the store being the same;
``--version-tolerance-ms`` sets their ``KGSERVICE_REMOTE_VERSION_TOLERANCE_MS``; ``--answers
kept`` leaves the computed answers out.
"""

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

from kgbench import wrk
from kgbench.client import HttpClient
from kgbench.engines import FROM_THE_ENGINE, BenchQuery
from kgbench.processes import PACKAGE_ROOT, free_port
from kgbench.servers import OXIGRAPH, Server
from kgbench.service_loader import link_sources
from kgbench.stats import summarise
from kgbench.virtuoso import SETUP, Virtuoso
from kgbench.workload import THROUGHPUT_QUERY, bench_queries
from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store import open_store

ENGINES = ("oxigraph serve", "virtuoso")
CAP_S = 120.0
FIRST_START = "first-start-s.json"
HEAVY_LIMITS = ("QUERIES", "QUERY_QUEUE", "QUERIES_PER_CLIENT")
WARM_UP_S = 2
ANSWERS = ("kept", "computed")
SECONDS = 10


def main(
    data: Path,
    work: Path,
    *,
    clients: int,
    seconds: int,
    repeats: int,
    engines: Sequence[str] = ENGINES,
    phase: str = "all",
    service_src: Path = Path(PACKAGE_ROOT),
    version_tolerance_ms: float = 0.0,
    answers: Sequence[str] = ANSWERS,
) -> dict[str, object]:
    samples = json.loads((data / "manifest.json").read_text())["samples"]
    queries = bench_queries(Settings(), samples)
    selective = next(q for q in queries if q.label == THROUGHPUT_QUERY)
    found: dict[str, object] = {}
    for engine in engines:
        directory = work / engine.replace(" ", "-")
        fresh = phase != "measure"
        directory.mkdir(parents=True, exist_ok=not fresh)
        with _engine(engine, directory, fresh=fresh) as (settings, store_pid):
            if fresh:
                loaded_s = round(_first_start(settings, data), 2)
                (directory / FIRST_START).write_text(json.dumps(loaded_s))
            figures: dict[str, object] = {
                "first_start_s": json.loads((directory / FIRST_START).read_text())
            }
            found[engine] = figures
            if phase == "load":
                continue
            log = directory / "service.log"
            tolerance = {"KGSERVICE_REMOTE_VERSION_TOLERANCE_MS": str(version_tolerance_ms)}
            with _services(settings, 2, log, clients, service_src, tolerance) as services:
                ports = [port for port, _pid in services]
                run = partial(_throughputs, services, store_pid, selective, clients, seconds)
                figures |= {
                    "named_queries_ms": _named(ports[0], queries, repeats) if repeats else {},
                    "throughput": run(answers),
                }
    return found


@contextmanager
def _engine(engine: str, directory: Path, *, fresh: bool) -> Iterator[tuple[Settings, int]]:
    """A server of ``engine`` over ``directory`` (a new store, set up, or the one there): the
    settings of a service over it, and its process id."""
    log = directory / "engine.log"
    if engine == "virtuoso":
        virtuoso = Virtuoso(directory, free_port(), free_port(), buffers=200_000)
        server = Server(engine, virtuoso.command(), "/sparql?query=ASK%7B%7D", "/sparql", 120)
        server.start(log, port=virtuoso.http_port)
        failed = virtuoso.isql(SETUP) if fresh else ""
        if failed:
            server.stop()
            raise RuntimeError(failed)
        settings = virtuoso.service_settings(load_bundled_data=False)
    else:
        argv = [str(OXIGRAPH), "serve", "--location", str(directory / "store")]
        server = Server(
            engine, [*argv, "--bind", "127.0.0.1:{port}"], "/query?query=ASK%7B%7D", "/query", 60
        )
        server.start(log)
        url = f"http://127.0.0.1:{server.port}"
        settings = Settings(
            store="remote",
            remote_query_url=f"{url}/query",
            remote_update_url=f"{url}/update",
            load_bundled_data=False,
        )
    assert server.proc is not None
    try:
        yield settings, server.proc.pid
    finally:
        server.stop()


def _first_start(settings: Settings, data: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        link_sources(Path(folder), data, Settings(), illustrative=False)
        loading = settings.model_copy(update={"bundled_data_dir": Path(folder)})
        store = open_store(loading)
        started = time.perf_counter()
        bootstrap(store, loading)
        seconds = time.perf_counter() - started
        store.close()
    return seconds


@contextmanager
def _services(
    settings: Settings, count: int, log: Path, clients: int, src: Path, more: dict[str, str]
) -> Iterator[list[tuple[int, int]]]:
    """``count`` service processes over the store of ``settings``, running the code in ``src``
    with ``more`` settings: their ports and process ids."""
    env = {
        **more,
        "PYTHONPATH": str(src),
        "KGSERVICE_STORE": "remote",
        "KGSERVICE_STORE_DIALECT": settings.store_dialect,
        "KGSERVICE_REMOTE_QUERY_URL": str(settings.remote_query_url),
        "KGSERVICE_REMOTE_UPDATE_URL": settings.remote_update_url or "",
        "KGSERVICE_LOAD_BUNDLED_DATA": "false",
        "KGSERVICE_QUERY_TIMEOUT_S": str(CAP_S),
        "KGSERVICE_MAX_RESULT_ROWS": str(10**8),
        # The clients all come from one address: the per-client limit on heavy queries (and
        # the queue behind the two running) would refuse most computed answers with 429/503.
        **{f"KGSERVICE_HEAVY_{name}": str(clients) for name in HEAVY_LIMITS},
    }
    argv = [sys.executable, "-m", "kgservice", "serve", "--port", "{port}"]
    with ExitStack() as stack:
        started = []
        for _ in range(count):
            server = Server("service", argv, "/healthz", "/sparql", 600, env)
            server.start(log)
            stack.callback(server.stop)
            assert server.proc is not None
            started.append((server.port, server.proc.pid))
        yield started


def _named(port: int, queries: list[BenchQuery], repeats: int) -> dict[str, object]:
    client = HttpClient(port, CAP_S)
    found: dict[str, object] = {}
    for query in queries:
        seconds = []
        for _ in range(repeats):
            took, _body = client.get(f"/queries/{query.name}", query.params, FROM_THE_ENGINE)
            seconds.append(took)
        found[query.label] = summarise(seconds)["median_ms"]
    client.close()
    return found


def _throughputs(
    services: list[tuple[int, int]],
    store_pid: int,
    query: BenchQuery,
    clients: int,
    seconds: int,
    answers: Sequence[str],
) -> dict[str, object]:
    """``answers`` (kept, computed) of ``query`` through one service process and through two;
    the load average before each run (the machine is shared)."""
    found: dict[str, object] = {}
    target = f"/queries/{query.name}"
    asked = {"kept": {}, "computed": FROM_THE_ENGINE}
    for kind, processes in itertools.product(answers, (1, 2)):
        headers, ports = asked[kind], [port for port, _pid in services[:processes]]
        for port in ports:  # each process keeps the answer once first
            _ask_once(port, query, headers)
        pids = {"service": [pid for _port, pid in services[:processes]], "store": [store_pid]}
        run = partial(wrk.load, ports, target, query.params, headers, connections=clients)
        run(seconds=WARM_UP_S, watched=pids)
        load_average = os.getloadavg()[0]
        measured = run(seconds=seconds, watched=pids)
        found[f"{kind}, {processes} process(es)"] = {**measured, "load_average": load_average}
    return found


def _ask_once(port: int, query: BenchQuery, headers: dict[str, str]) -> None:
    client = HttpClient(port, CAP_S)
    client.get(f"/queries/{query.name}", query.params, headers)
    client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated")
    parser.add_argument("--phase", choices=("all", "load", "measure"), default="all")
    parser.add_argument("--service-src", type=Path, default=Path(PACKAGE_ROOT))
    parser.add_argument("--version-tolerance-ms", type=float, default=0.0)
    parser.add_argument("--answers", default=",".join(ANSWERS), help="comma-separated")
    options = parser.parse_args()
    result = main(
        options.data,
        options.work,
        clients=options.clients,
        seconds=options.seconds,
        repeats=options.repeats,
        engines=options.engines.split(","),
        phase=options.phase,
        service_src=options.service_src.resolve(),
        version_tolerance_ms=options.version_tolerance_ms,
        answers=options.answers.split(","),
    )
    print(json.dumps(result, indent=2))
