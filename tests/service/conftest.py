"""Fixtures for the store and the SPARQL endpoint: one real store per backend.

The remote backend is a real ``oxigraph serve`` on loopback, started once per session.
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgservice.settings import Settings
from kgservice.store import Store, open_store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package `oxigraph`) is not installed")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running ``oxigraph serve``."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("oxigraph serve did not start")


def remote_settings(url: str, **overrides: object) -> Settings:
    return Settings(
        store="remote",
        remote_query_url=f"{url}/query",
        remote_update_url=f"{url}/update",
        load_bundled_data=False,
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture(params=["embedded", "remote"])
def store_settings(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings for an empty store of each backend (the remote one is emptied for each test)."""
    if request.param == "embedded":
        yield Settings(memory=True, load_bundled_data=False)
        return
    url = request.getfixturevalue("oxigraph_server")
    settings = remote_settings(url)
    open_store(settings).update("CLEAR ALL")
    yield settings


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    opened = open_store(store_settings)
    yield opened
    opened.close()
