"""Real SPARQL servers for the remote-store tests, each on free loopback ports with its own data
directory: ``oxigraph serve`` and Virtuoso (Debian's ``virtuoso-opensource-7-bin``)."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from kgbench.virtuoso import SETUP, Virtuoso
from kgservice.settings import Settings
from kgservice.store import open_store, union

REMOTE_ENGINES = ("oxigraph", "virtuoso")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package `oxigraph`) is not installed")
    return found


def virtuoso_binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (Debian package virtuoso-opensource-7-bin)")
    return found


@contextmanager
def oxigraph_server(location: Path, port: int | None = None) -> Iterator[str]:
    """The base URL of an ``oxigraph serve`` over ``location`` (on ``port``, or a free one)."""
    port = port or free_port()
    command = [
        oxigraph_binary(),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    url = f"http://127.0.0.1:{port}"
    with _running(command, f"{url}/query?query=ASK%7B%7D"):
        yield url


@contextmanager
def virtuoso_server(
    directory: Path, *, buffers: int = 20_000, sql_port: int | None = None
) -> Iterator[str]:
    """The base URL of a Virtuoso whose database lives in ``directory`` (and may read files
    under it), its SPARQL endpoint allowed to update, its SQL port ``sql_port``."""
    virtuoso_binary("virtuoso-t")
    server = Virtuoso(directory, free_port(), sql_port or free_port(), buffers)
    with _running(server.command(), f"{server.url}/sparql?query=ASK%7B%7D"):
        failed = server.isql(SETUP)
        if failed:
            pytest.fail(f"isql failed: {failed}")
        yield server.url


@contextmanager
def _running(command: list[str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(probe, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_until_up(probe: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"{process.args!r} exited with {process.returncode}")
        try:
            urllib.request.urlopen(probe, timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{process.args!r} did not start")


@contextmanager
def started_on_first_use(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], str]]:
    """``url(engine)`` -> the base URL of that engine's server, started on first use and
    stopped when the context ends."""
    servers = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}
    started: dict[str, str] = {}
    with ExitStack() as running:

        def url(engine: str) -> str:
            if engine not in started:
                directory = tmp_path_factory.mktemp(engine)
                started[engine] = running.enter_context(servers[engine](directory))
            return started[engine]

        yield url


def remote_settings(engine: str, url: str, **overrides: object) -> Settings:
    """Settings for a service over ``engine`` at ``url``, without the bundled data."""
    if engine == "virtuoso":
        endpoints: dict[str, object] = {
            "store_dialect": "virtuoso",
            "remote_query_url": f"{url}/sparql",
        }
    else:
        endpoints = {"remote_query_url": f"{url}/query", "remote_update_url": f"{url}/update"}
    return Settings(
        store="remote",
        load_bundled_data=False,
        **endpoints,  # type: ignore[arg-type]
        **overrides,  # type: ignore[arg-type]
    )


def emptied(settings: Settings) -> Settings:
    """``settings``, after dropping every graph of the store they name."""
    store = open_store(settings)
    for graph in store.graphs():
        store.update(union.drop(graph))
    store.copy_union()  # what a test wrote into the default graph itself leaves it
    store.close()
    return settings
