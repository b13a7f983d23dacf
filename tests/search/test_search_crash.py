"""A real ``kgservice serve`` killed with ``kill -9`` during writes: after the next start the
search index finds exactly what the store holds, whatever point the write had reached."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from kgservice.settings import PROJECT_ROOT

BASE = "https://w3id.org/thaiplan/id/"
ORG = "lao-sao-401014"
GRAPH = f"{BASE}graph/{ORG}"
PROJECT = f"{BASE}plan/lao-sao-401014-2566-2570/project/1"
PLAN_TTL = (PROJECT_ROOT / "data" / "ttl" / "sample" / f"{ORG}.ttl").read_text(encoding="utf-8")
FRACTIONS = (0.1, 0.4, 0.7, 0.9)
"""Where in a write's time to kill the server."""


def generation(n: int) -> bytes:
    """The plan with its first project's English label naming the generation."""
    return PLAN_TTL.replace("Concrete road, village 4", f"Concrete road crashprobe{n}").encode()


class Service:
    def __init__(self, tmp_path: Path) -> None:
        self.env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT / "src"),
            "KGSERVICE_DATA_DIR": str(tmp_path / "store"),
            "KGSERVICE_TOKENS_FILE": str(tmp_path / "tokens.json"),
            "KGSERVICE_QUERY_PROCESSES": "false",
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log = (tmp_path / "serve.log").open("ab")
        self.url = ""

    def start(self) -> None:
        for _ in range(3):  # another process may take the free port before the server binds it
            if self._started():
                return
        pytest.fail("kgservice serve did not start; see serve.log")

    def _started(self) -> bool:
        port = _free_port()
        command = [sys.executable, "-m", "kgservice", "serve", "--port", str(port)]
        self.process = subprocess.Popen(command, env=self.env, stderr=self.log)
        self.url = f"http://127.0.0.1:{port}"
        for _ in range(1200):
            if self.process.poll() is not None:
                return False
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).close()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def token(self) -> str:
        command = [
            sys.executable,
            "-m",
            "kgservice",
            "token",
            "create",
            "--org",
            f"{BASE}org/{ORG}",
        ]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, check=True)
        return done.stdout.strip().splitlines()[-1]

    def put(self, token: str, body: bytes) -> None:
        request = urllib.request.Request(
            f"{self.url}/data?graph={urllib.parse.quote(GRAPH)}",
            data=body,
            method="PUT",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
        )
        try:
            urllib.request.urlopen(request, timeout=60).close()
        except OSError:
            pass  # the server was killed meanwhile

    def get(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}{path}?{query}", timeout=30) as response:
            return json.load(response)

    def stored_generation(self) -> int | None:
        query = (
            f"SELECT ?label WHERE {{ GRAPH <{GRAPH}> {{ <{PROJECT}> "
            '<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANG(?label) = "en") } }'
        )
        rows = self.get("/sparql", query=query, format="json")["results"]["bindings"]
        labels = [r["label"]["value"] for r in rows]
        return int(labels[0].rsplit("crashprobe", 1)[1]) if labels else None

    def found_generations(self, upto: int) -> set[int]:
        return {
            n
            for n in range(1, upto + 1)
            if PROJECT
            in {r["iri"] for r in self.get("/search", q=f"crashprobe{n}", format="json")["results"]}
        }


def test_the_index_agrees_with_the_store_after_kill_9(tmp_path: Path) -> None:
    service = Service(tmp_path)
    service.start()
    token = service.token()
    started = time.monotonic()
    service.put(token, generation(1))
    took = time.monotonic() - started
    assert service.found_generations(1) == {1}
    last = 1
    try:
        for n, fraction in enumerate(FRACTIONS, start=2):
            writer = threading.Thread(target=service.put, args=(token, generation(n)))
            writer.start()
            time.sleep(took * fraction)
            service.kill()
            writer.join()
            service.start()
            held = service.stored_generation()
            assert held in (last, n)  # the write is all in the store or not at all
            assert service.found_generations(n) == {held}, f"killed at {fraction} of the write"
            last = held
    finally:
        service.kill()
        service.log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
