"""Engines that answer one benchmark query and say how long it took.

Each ``run`` returns ``(seconds, rows)`` or raises ``OverCap``; after an over-cap answer the
engine is restarted so a runaway query does not slow the engines measured after it."""

import json
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kgbench.client import HttpClient, OverCap, count_rows
from kgbench.processes import child_env
from kgbench.servers import Server


@dataclass(frozen=True)
class BenchQuery:
    label: str  # the name, with the optional parameters it is run with
    name: str
    text: str  # the named query as written, parameters as variables
    params: dict[str, str]  # as a user passes them to /queries/{name}
    terms: dict[str, str]  # the same parameters as SPARQL terms
    inline_text: str  # the same query with the parameters written in


class InProcess:
    """pyoxigraph in a worker process on the same on-disk store: the floor."""

    name = "pyoxigraph in-process"

    def __init__(self, store: Path, cap_s: float) -> None:
        self.store, self.cap_s = store, cap_s
        self.allocator: str | None = None  # the worker's, once it has answered
        self.proc = self._spawn()

    def _spawn(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "kgbench.worker", str(self.store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )

    def run(self, query: BenchQuery) -> tuple[float, int]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"query": query.text, "substitutions": query.terms}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answers = self.proc.stdout
        assert answers is not None
        ready, _, _ = select.select([answers], [], [], self.cap_s)
        if not ready:
            self.close()
            self.proc = self._spawn()
            raise OverCap(f"no answer within {self.cap_s} s")
        line = answers.readline()
        if not line:
            raise RuntimeError(f"worker exited with code {self.proc.wait()}")
        answer = json.loads(line)
        self.allocator = answer["allocator"]
        return answer["seconds"], answer["rows"]

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


FROM_THE_ENGINE = {"Cache-Control": "no-cache"}  # the service computes the answer again


class OverHttp:
    """A server answering either the named-query API or SPARQL text."""

    def __init__(self, name: str, server: Server, log: Path, cap_s: float, named: bool) -> None:
        self.name, self.server, self.log, self.named = name, server, log, named
        self.client = HttpClient(server.port, cap_s)

    def run(self, query: BenchQuery) -> tuple[float, int]:
        self.client.retarget(self.server.port)
        try:
            if self.named:
                seconds, body = self.ask(query, FROM_THE_ENGINE)
            else:
                seconds, body = self.client.post_query(self.server.query_path, query.inline_text)
        except OverCap:
            self.client.close()
            self.server.restart(self.log)
            raise
        return seconds, count_rows(body)

    def ask(self, query: BenchQuery, headers: dict[str, str]) -> tuple[float, bytes]:
        return self.client.get(f"/queries/{query.name}", query.params, headers)

    def close(self) -> None:
        self.client.close()


class KeptAnswer(OverHttp):
    """The service's named-query API asked a question it has answered since the last write:
    one untimed request keeps the answer, the timed one is served from it."""

    def __init__(self, name: str, server: Server, log: Path, cap_s: float) -> None:
        super().__init__(name, server, log, cap_s, named=True)
        self.kept: set[str] = set()

    def ask(self, query: BenchQuery, headers: dict[str, str]) -> tuple[float, bytes]:
        if query.label not in self.kept:
            super().ask(query, {})
            self.kept.add(query.label)
        return super().ask(query, {})
