"""Light-query p50 through HTTP, alternating between a server with worker processes and one
without, on two copies of one store (of the bundled data, made when missing):
``python -m kgbench.runaway.light_latency [--requests N] [--warm-ups N] [--store-workers DIR
--store-in-process COPY | --memory]``; with ``--memory`` each server loads the bundled data into
a store in memory at its start instead. Besides the two p50s, the median of the differences of
each pair of requests, which the load of other work on the machine moves less."""

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from kgbench.runaway import LABEL_QUERY, WORK
from kgbench.runaway.service import bundled_store, serve, sparql_get

QUERIES = {
    "label": LABEL_QUERY,
    "ask": "ASK { ?s a <https://w3id.org/thaiplan/ontology#Plan> }",
    "100 rows": "SELECT * WHERE { ?s ?p ?o } LIMIT 100",
}


def answered_ms(port: int, query: str) -> float:
    status, ms, _ = sparql_get(port, query, timeout_s=30)
    if status != 200:
        raise RuntimeError(f"HTTP {status} from port {port} for {query!r}")
    return ms


def compare(workers: int, in_process: int, query: str, warm_ups: int, requests: int) -> str:
    """The two servers asked in turn: warm-ups, then ``requests`` timed requests each."""
    for _ in range(warm_ups):
        answered_ms(workers, query)
        answered_ms(in_process, query)
    a, b = [], []
    for _ in range(requests):
        a.append(answered_ms(workers, query))
        b.append(answered_ms(in_process, query))
    p50_a, p50_b = statistics.median(a), statistics.median(b)
    paired = statistics.median(x - y for x, y in zip(a, b, strict=True))
    return (
        f"p50 workers {p50_a:.3f} ms, in-process {p50_b:.3f} ms, difference {p50_a - p50_b:+.3f}"
        f" ms, median of the paired differences {paired:+.3f} ms"
    )


def main(args: argparse.Namespace) -> None:
    if args.memory:
        env = {"KGSERVICE_MEMORY": "true", "KGSERVICE_LOAD_BUNDLED_DATA": "true"}
        store_workers, store_in_process = args.store_workers, args.store_in_process  # unused
    else:
        env = {}
        store_workers = bundled_store(args.store_workers)
        store_in_process = bundled_store(args.store_in_process, like=store_workers)
    with ExitStack() as running:
        workers = serve(store_workers, port=args.port_workers, workers=True, log=args.log, env=env)
        running.callback(workers.stop)
        in_process = serve(
            store_in_process, port=args.port_in_process, workers=False, log=args.log, env=env
        )
        running.callback(in_process.stop)
        for name, query in QUERIES.items():
            figures = compare(workers.port, in_process.port, query, args.warm_ups, args.requests)
            print(f"{name}: {figures}")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.runaway.light_latency", description=__doc__)
    p.add_argument("--store-workers", type=Path, default=WORK / "store-workers")
    p.add_argument(
        "--store-in-process", type=Path, default=WORK / "store-in-process", help="a copy of it"
    )
    p.add_argument("--memory", action="store_true", help="stores in memory, not the two copies")
    p.add_argument("--port-workers", type=int, default=0, help="0: a free port")
    p.add_argument("--port-in-process", type=int, default=0, help="0: a free port")
    p.add_argument("--warm-ups", type=int, default=30, help="per query and server")
    p.add_argument("--requests", type=int, default=400, help="timed, per query and server")
    p.add_argument("--log", type=Path, default=WORK / "servers.log", help="the servers' output")
    return p.parse_args()


if __name__ == "__main__":
    main(arguments())
