"""The HTTP servers compared: the service itself, ``oxigraph serve`` and rdflib-endpoint, each a
real process on loopback holding the same data."""

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kgbench.processes import child_env, free_port, rss_mb, stop, wait_ready

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


@dataclass
class Server:
    name: str
    argv: list[str]  # "{port}" is replaced by the chosen port
    ready_path: str
    query_path: str
    start_cap_s: float
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    start_s: float | None = None

    def start(self, log: Path, port: int = 0) -> float:
        """Start on ``port`` (0: a free one) and wait until it answers; seconds to ready."""
        self.port = port or free_port()
        argv = [a.replace("{port}", str(self.port)) for a in self.argv]
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, env=child_env(self.env)
            )
        try:
            self.start_s = wait_ready(
                f"http://127.0.0.1:{self.port}{self.ready_path}", self.proc, self.start_cap_s
            )
        except TimeoutError:
            self.stop()
            raise
        return self.start_s

    def restart(self, log: Path) -> None:
        self.stop()
        time.sleep(0.2)
        self.start(log)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)

    def rss_mb(self) -> float | None:
        return rss_mb(self.proc.pid) if self.proc is not None else None


def service(store: Path, cap_s: float) -> Server:
    return kgservice_serve(
        store,
        {"KGSERVICE_QUERY_TIMEOUT_S": str(cap_s), "KGSERVICE_MAX_RESULT_ROWS": str(10**8)},
    )


def kgservice_serve(store: Path, env: dict[str, str]) -> Server:
    """``kgservice serve`` on a store that holds its data already (no first-start loading)."""
    return Server(
        "service",
        [sys.executable, "-m", "kgservice", "serve", "--data-dir", str(store), "--port", "{port}"],
        "/healthz",
        "/sparql",
        120,
        {"KGSERVICE_LOAD_BUNDLED_DATA": "false", **env},
    )


def oxigraph(store: Path, cap_s: float) -> Server:
    return Server(
        "oxigraph serve",
        [
            str(OXIGRAPH),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            "127.0.0.1:{port}",
            "--timeout-s",
            str(int(cap_s)),
        ],
        "/query?query=ASK%7B%7D",
        "/query",
        60,
    )


def rdflib_endpoint(dump: Path, load_cap_s: float) -> Server:
    return Server(
        "rdflib-endpoint",
        [sys.executable, "-m", "kgbench.rdflib_server", str(dump), "{port}"],
        "/sparql?query=ASK%7B%7D",
        "/sparql",
        load_cap_s,
    )
