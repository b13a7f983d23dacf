"""The remote stores every test directory may use: one real server per engine, started on first
use and stopped at the end of the session."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from engines import oxigraph_server, virtuoso_server

SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(scope="session")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """``engine_url(engine)`` -> the base URL of that engine's server."""
    started: dict[str, str] = {}
    with ExitStack() as servers:

        def url(engine: str) -> str:
            if engine not in started:
                directory = tmp_path_factory.mktemp(engine)
                started[engine] = servers.enter_context(SERVERS[engine](directory))
            return started[engine]

        yield url
