"""A service's first start into a Virtuoso of its own, stage by stage.

``python -m kgbench.virtuoso_first_start DATA WORK [--buffers N]`` (DATA: a bundled-data folder
of ``*.ttl`` files, as ``KGSERVICE_BUNDLED_DATA_DIR``; WORK: a new folder for Virtuoso's
database, its loader's files, the service's and its search index, on disk as
``KGSERVICE_SEARCH_INDEX_DIR`` so that it is built from the statements as they are loaded)
starts Virtuoso (``kgbench.virtuoso``), makes the service as ``kgservice serve`` does (bundled
data through Virtuoso's bulk loader, derived data, search index), then keeps the national
answers as ``serve`` does in the background (``warm``).

As each stage ends it prints a JSON line on standard output: its wall seconds, the CPU seconds
of the service process (user + system, its threads and the children it waited for: ``isql-vt``,
the search index's forked build) and of the Virtuoso server. Stages nest: ``batch`` (one bulk
load: the service writing the batch's file, then ``bulk loader`` and ``union copy`` inside
Virtuoso), ``bundled data``, ``derived data``, ``search index`` (the wait for its build after
the derived data: the build runs beside it, its CPU counted here), ``first start`` (all of it),
``kept answers``.
"""

import argparse
import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kgbench.processes import free_port
from kgbench.servers import Server
from kgbench.virtuoso import SETUP, Virtuoso
from kgservice import bootstrap as bootstrap_module
from kgservice.derived import upkeep
from kgservice.query import named
from kgservice.search.alongside import SearchAfterLoad
from kgservice.search.first_start import BuildBesideLoad
from kgservice.store.virtuoso_bulk import VirtuosoBulkLoader
from kgservice.web.app import create_app

_TICKS = os.sysconf("SC_CLK_TCK")


def main(data: Path, work: Path, buffers: int) -> None:
    work.mkdir(parents=True)
    virtuoso = Virtuoso(work, free_port(), free_port(), buffers=buffers)
    server = Server("virtuoso", virtuoso.command(), "/sparql?query=ASK%7B%7D", "/sparql", 300)
    server.start(work / "engine.log", port=virtuoso.http_port)
    try:
        failed = virtuoso.isql(SETUP)
        if failed:
            raise RuntimeError(failed)
        assert server.proc is not None
        _time_stages(server.proc.pid)
        settings = virtuoso.service_settings(
            data_dir=work / "service",
            bundled_data_dir=data,
            query_timeout_s=3600,
            search_index_dir=work / "search",  # on disk: built alongside the load, streamed
        )
        with _stage("first start", server.proc.pid):
            app = create_app(settings)
        with _stage("kept answers", server.proc.pid):
            app.state.answers.warm(named.load_named_queries(settings.queries_dir))
    finally:
        server.stop()


def _time_stages(virtuoso_pid: int) -> None:
    """Each stage's function timed wherever it is called."""
    timed = functools.partial(_timed, virtuoso_pid=virtuoso_pid)
    timed(VirtuosoBulkLoader, "load", "batch")
    timed(VirtuosoBulkLoader, "run_loader", "bulk loader")
    timed(VirtuosoBulkLoader, "copy_graphs", "union copy")
    timed(bootstrap_module, "_load_fresh", "bundled data")
    timed(upkeep, "refresh", "derived data")
    timed(SearchAfterLoad, "finish", "search index")
    timed(BuildBesideLoad, "finish", "search index")  # a first start into an empty store


def _timed(owner: Any, name: str, label: str, *, virtuoso_pid: int) -> None:
    function: Callable[..., Any] | None = getattr(owner, name, None)
    if function is None:  # older code (a baseline's ``--service-src``) has no such step
        return

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        with _stage(label, virtuoso_pid):
            return function(*args, **kwargs)

    setattr(owner, name, timed)


@contextmanager
def _stage(label: str, virtuoso_pid: int) -> Iterator[None]:
    started, service, store = time.perf_counter(), _own_cpu(), _cpu_of(virtuoso_pid)
    try:
        yield
    finally:
        figures = {
            "stage": label,
            "wall_s": round(time.perf_counter() - started, 1),
            "service_cpu_s": round(_own_cpu() - service, 1),
            "virtuoso_cpu_s": round(_cpu_of(virtuoso_pid) - store, 1),
            "load_average": os.getloadavg()[0],
            "at": time.strftime("%H:%M:%S", time.gmtime()),
        }
        print(json.dumps(figures), flush=True)


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--buffers", type=int, default=200_000, help="8 KB pages")
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    main(options.data, options.work, options.buffers)
    sys.exit(0)
