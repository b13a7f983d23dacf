"""The service under measurement: a store of the bundled data, a ``kgservice serve`` on it with
or without worker processes, and timed GETs of its ``/sparql``."""

import http.client
import json
import shutil
import sys
import time
import urllib.parse
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


def serve(
    store: Path, *, port: int, workers: bool, log: Path, env: dict[str, str] | None = None
) -> Server:
    """A ready ``kgservice serve`` on ``store`` (with the settings of ``env``); anonymous
    queries run in worker processes or in the service's own threads."""
    processes = "true" if workers else "false"
    server = kgservice_serve(store, {"KGSERVICE_QUERY_PROCESSES": processes, **(env or {})})
    log.parent.mkdir(parents=True, exist_ok=True)
    server.start(log, port)
    return server


def sparql_get(
    port: int, query: str, timeout_s: float, source: str = "127.0.0.1"
) -> tuple[int, float, str]:
    """HTTP status (0: no answer), milliseconds and error code (``""`` for none) of one GET
    ``/sparql`` on a new connection from the loopback address ``source`` (one client each: the
    service gives each client its share of the heavy queries)."""
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout_s, source_address=(source, 0)
    )
    start = time.perf_counter()
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        body, status = response.read(), response.status
    except (OSError, http.client.HTTPException):
        return 0, (time.perf_counter() - start) * 1000, ""
    finally:
        connection.close()
    ms = (time.perf_counter() - start) * 1000
    return status, ms, "" if status == 200 else _error(body)


def _error(body: bytes) -> str:
    try:
        return str(json.loads(body).get("error", ""))
    except ValueError:
        return ""
