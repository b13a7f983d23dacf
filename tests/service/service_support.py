"""Helpers the service tests share: a loopback HTTP server, the memory of processes."""

import http.server
import threading
from collections.abc import Callable

from kgservice.store import Store

Reply = tuple[int, dict[str, str], bytes]
"""Status, headers and body."""


class LoopbackServer:
    """An HTTP server on a free loopback port that answers every GET and POST with
    ``answer(path)``: a remote endpoint for the tests, on this machine only."""

    def __init__(self, answer: Callable[[str], Reply]) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                self._reply()

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._reply()

            def _reply(self) -> None:
                status, headers, body = answer(self.path)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def resident_mb(pids: list[int]) -> float:
    """The resident memory of the processes ``pids`` (those that still run), in MB."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            pass
    return total / 1024


_DEFAULT_GRAPH = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_NAMED_GRAPHS = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def default_and_union(store: Store) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The default graph's triples (repeats kept) and the distinct triples of the named graphs,
    each sorted: equal when the default graph is the set union of the named graphs."""
    return _rows(store, _DEFAULT_GRAPH), _rows(store, _NAMED_GRAPHS)


def _rows(store: Store, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(row[v]) for v in "spo") for row in store.query(query))  # type: ignore[index,union-attr]


def asking(read: Callable[[], object], answers: list[object]) -> threading.Thread:
    """A thread, started, that appends what ``read`` answers, or the ConnectionError it
    raised, to ``answers``."""

    def ask() -> None:
        try:
            answers.append(read())
        except ConnectionError as exc:
            answers.append(exc)

    thread = threading.Thread(target=ask)
    thread.start()
    return thread
