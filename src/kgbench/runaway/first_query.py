"""What the first ``/sparql`` query after a write costs on a store in memory (``--memory``),
where the query workers read a checkpoint of the store on disk:
``python -m kgbench.runaway.first_query [--writes N] [FILE.nt ...]``.

The service's app (worker processes on) over a store in memory holding the bundled data and,
when given, N-Triples files loaded by organisation (as ``kgservice load --by-organisation``
would). Then, ``--writes`` times: one organisation PUTs its graph again with a marker of its
own, and an ASK for that marker is sent at once (the first query after the write: it waits for
the checkpoint of the new version), then again (a query on a version already checkpointed).
Each ASK must answer true. Runs in-process through the app's test client, so the same module
measures any version of the package on the path."""

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from kgservice.auth import TokenFile
from kgservice.bootstrap import bootstrap
from kgservice.bulk.checking import Report
from kgservice.bulk.loader import Mode, bulk_load
from kgservice.bulk.sources import RdfFile
from kgservice.settings import Settings
from kgservice.store import open_store
from kgservice.web.app import create_app

B = "https://w3id.org/thaiplan/id/"
ORG = "lao-sao-400102"
GRAPH = f"{B}graph/{ORG}"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_ask(client: TestClient, marker: str) -> float:
    ask = f'ASK {{ GRAPH <{GRAPH}> {{ <{B}plan/{ORG}-note> <{COMMENT}> "{marker}" }} }}'
    started = time.perf_counter()
    answer = client.get("/sparql", params={"query": ask})
    ms = (time.perf_counter() - started) * 1000
    if answer.status_code != 200 or answer.json()["boolean"] is not True:
        raise RuntimeError(f"the ask for {marker!r} answered {answer.status_code} {answer.text}")
    return ms


def measure(client: TestClient, token: str, writes: int) -> dict[str, list[float]]:
    plan = client.get("/data", params={"graph": GRAPH}, headers={"Accept": "application/n-triples"})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"}
    figures: dict[str, list[float]] = {"write": [], "first query": [], "second query": []}
    for i in range(writes):
        marker = f"write {i}"
        note = f'<{B}plan/{ORG}-note> <{COMMENT}> "{marker}" .\n'
        started = time.perf_counter()
        written = client.put(
            "/data", params={"graph": GRAPH}, content=plan.content + note.encode(), headers=headers
        )
        figures["write"].append((time.perf_counter() - started) * 1000)
        if written.status_code not in (200, 201, 204):
            raise RuntimeError(f"write {i}: {written.status_code} {written.text}")
        figures["first query"].append(timed_ask(client, marker))
        figures["second query"].append(timed_ask(client, marker))
    return figures


def loaded_store(settings: Settings, files: list[Path], work: Path) -> object:
    store = open_store(settings)
    bootstrap(store, settings)
    if files:
        mode = Mode(tuple(RdfFile.of(f) for f in files), by_organisation=True, on_violation="keep")
        report = Report.open(work / "report.jsonl")
        try:
            bulk_load(store, settings, mode, report)
        finally:
            report.out.close()
    return store


def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="first-query-") as temporary:
        work = Path(temporary)
        settings = Settings(memory=True, tokens_file=work / "tokens.json", data_dir=work / "x")
        started = time.perf_counter()
        store = loaded_store(settings, args.files, work)
        print(
            f"store in memory: {sum(store.graphs().values()):,} quads in named graphs,"  # type: ignore[attr-defined]
            f" loaded in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        token = TokenFile(work / "tokens.json").create(f"{B}org/{ORG}", admin=False)[1]
        with TestClient(create_app(settings, store=store)) as client:  # type: ignore[arg-type]
            started = time.perf_counter()
            client.get("/sparql", params={"query": "ASK {}"})
            print(f"first checkpoint (the whole store): {time.perf_counter() - started:.2f} s")
            cpu = cpu_s()
            figures = measure(client, token, args.writes)
            print(f"{args.writes} writes and their queries: {cpu_s() - cpu:.1f} s of CPU")
    for name, ms in figures.items():
        print(f"{name}: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m kgbench.runaway.first_query", description=__doc__)
    p.add_argument("files", nargs="*", type=Path, help="N-Triples loaded by organisation")
    p.add_argument("--writes", type=int, default=10)
    return p.parse_args()


if __name__ == "__main__":
    main(arguments())
