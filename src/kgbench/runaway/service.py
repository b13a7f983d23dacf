"""The service under measurement: a store of the bundled data, a ``kgservice serve`` on it with
or without worker processes, and timed GETs of its ``/sparql``."""

import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kgbench.servers import Server, kgservice_serve
from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store import open_store


def bundled_store(path: Path, *, like: Path | None = None) -> Path:
    """``path`` as it is, or, when missing, a copy of ``like`` or a store that the service's
    first start filled with the bundled data."""
    if path.exists():
        return path
    if like is not None:
        shutil.copytree(bundled_store(like), path)
        return path
    print(f"loading the bundled data into {path}", file=sys.stderr, flush=True)
    settings = Settings(data_dir=path)
    store = open_store(settings)
    bootstrap(store, settings)
    store.close()  # waits for the compaction that the first start set going
    return path


def serve(store: Path, *, port: int, workers: bool, log: Path) -> Server:
    """A ready ``kgservice serve`` on ``store``; anonymous queries run in worker processes or
    in the service's own threads."""
    server = kgservice_serve(store, {"KGSERVICE_QUERY_PROCESSES": "true" if workers else "false"})
    log.parent.mkdir(parents=True, exist_ok=True)
    server.start(log, port)
    return server


def sparql_get(port: int, query: str, timeout_s: float) -> tuple[int, float]:
    """HTTP status (0: no answer) and milliseconds of one GET ``/sparql`` on a new connection."""
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - start) * 1000
