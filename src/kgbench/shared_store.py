"""The service over a remote store: ``oxigraph serve`` and Virtuoso side by side, and two service
processes over one store against one.

``python -m kgbench.shared_store DATA WORK [--clients 8] [--requests 400] [--repeats 3]`` (DATA:
``kgservice generate`` output) prints one JSON object: per engine, the service's first start
into a fresh server (Virtuoso: through its bulk loader), every named query through one service
process computed each time (median milliseconds of the repeats; none with ``--repeats 0``), and
the throughput of one named query at ``--clients`` clients, its answer kept and computed, with
one service process and with two (the clients shared between them).

``--computed-requests`` sets the requests of the computed answers' runs apart (by default
``--requests``: computed answers are many times slower than kept ones). ``--engines`` picks the
engines; ``--phase load`` only makes each engine's store in WORK (the
first start), ``--phase measure`` then measures over those stores, so that a large first start
and the measurements can be run apart.
"""

import argparse
import itertools
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from kgbench.client import HttpClient
from kgbench.engines import FROM_THE_ENGINE, BenchQuery
from kgbench.processes import free_port
from kgbench.servers import OXIGRAPH, Server
from kgbench.service_loader import link_sources
from kgbench.stats import summarise
from kgbench.throughput import throughput
from kgbench.virtuoso import SETUP, Virtuoso
from kgbench.workload import THROUGHPUT_QUERY, bench_queries
from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store import open_store

ENGINES = ("oxigraph serve", "virtuoso")
CAP_S = 120.0
FIRST_START = "first-start-s.json"
HEAVY_LIMITS = ("QUERIES", "QUERY_QUEUE", "QUERIES_PER_CLIENT")


def main(
    data: Path,
    work: Path,
    *,
    clients: int,
    requests: int,
    repeats: int,
    computed_requests: int | None = None,
    engines: Sequence[str] = ENGINES,
    phase: str = "all",
) -> dict[str, object]:
    samples = json.loads((data / "manifest.json").read_text())["samples"]
    queries = bench_queries(Settings(), samples)
    selective = next(q for q in queries if q.label == THROUGHPUT_QUERY)
    found: dict[str, object] = {}
    for engine in engines:
        directory = work / engine.replace(" ", "-")
        fresh = phase != "measure"
        directory.mkdir(parents=True, exist_ok=not fresh)
        with _engine(engine, directory, fresh=fresh) as settings:
            if fresh:
                loaded_s = round(_first_start(settings, data), 2)
                (directory / FIRST_START).write_text(json.dumps(loaded_s))
            figures: dict[str, object] = {
                "first_start_s": json.loads((directory / FIRST_START).read_text())
            }
            found[engine] = figures
            if phase == "load":
                continue
            with _services(settings, 2, directory / "service.log", clients) as ports:
                figures |= {
                    "named_queries_ms": _named(ports[0], queries, repeats) if repeats else {},
                    "throughput": _throughputs(
                        ports, selective, clients, (requests, computed_requests or requests)
                    ),
                }
    return found


@contextmanager
def _engine(engine: str, directory: Path, *, fresh: bool) -> Iterator[Settings]:
    """A server of ``engine`` over ``directory``: a new store, set up, or the one there."""
    log = directory / "engine.log"
    if engine == "virtuoso":
        virtuoso = Virtuoso(directory, free_port(), free_port(), buffers=200_000)
        server = Server(engine, virtuoso.command(), "/sparql?query=ASK%7B%7D", "/sparql", 120)
        server.start(log, port=virtuoso.http_port)
        failed = virtuoso.isql(SETUP) if fresh else ""
        if failed:
            server.stop()
            raise RuntimeError(failed)
        (directory / "load").mkdir(exist_ok=True)
        settings = Settings(
            store="remote",
            store_dialect="virtuoso",
            remote_query_url=f"{virtuoso.url}/sparql",
            virtuoso_bulk_dir=directory / "load",
            virtuoso_sql_address=f"127.0.0.1:{virtuoso.sql_port}",
            virtuoso_dba_password="dba",
            load_bundled_data=False,
        )
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
    try:
        yield settings
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
def _services(settings: Settings, count: int, log: Path, clients: int) -> Iterator[list[int]]:
    env = {
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
        ports = []
        for _ in range(count):
            server = Server("service", argv, "/healthz", "/sparql", 600, env)
            server.start(log)
            stack.callback(server.stop)
            ports.append(server.port)
        yield ports


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
    ports: list[int], query: BenchQuery, clients: int, requests: tuple[int, int]
) -> dict[str, object]:
    found: dict[str, object] = {}
    kept: dict[str, str] = {}
    kinds = (("kept", kept, requests[0]), ("computed", FROM_THE_ENGINE, requests[1]))
    for kind, headers, count in kinds:
        for processes in (1, 2):
            for port in ports[:processes]:  # each process keeps the answer once first
                _ask_once(port, query, headers)

            def send(client: HttpClient, headers: dict[str, str] = headers) -> object:
                return client.get(f"/queries/{query.name}", query.params, headers)

            found[f"{kind}, {processes} process(es)"] = throughput(
                _dealer(ports[:processes]),
                send,
                clients=clients,
                requests=count,
                bound_s=CAP_S,
                cap_s=CAP_S,
            )
    return found


def _ask_once(port: int, query: BenchQuery, headers: dict[str, str]) -> None:
    client = HttpClient(port, CAP_S)
    client.get(f"/queries/{query.name}", query.params, headers)
    client.close()


def _dealer(ports: list[int]) -> Callable[[], int]:
    """Each client its port, in turn."""
    turn, lock = itertools.cycle(ports), threading.Lock()

    def port() -> int:
        with lock:
            return next(turn)

    return port


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--computed-requests", type=int)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated")
    parser.add_argument("--phase", choices=("all", "load", "measure"), default="all")
    options = parser.parse_args()
    result = main(
        options.data,
        options.work,
        clients=options.clients,
        requests=options.requests,
        repeats=options.repeats,
        computed_requests=options.computed_requests,
        engines=options.engines.split(","),
        phase=options.phase,
    )
    print(json.dumps(result, indent=2))
