"""A lean HTTP client for timing: one keep-alive connection, the whole body read inside the
timed span, rows counted outside it."""

import http.client
import json
import time
import urllib.parse

RESULTS_JSON = "application/sparql-results+json"


class OverCap(Exception):
    """The request did not finish within the time cap (or the server refused it as too long)."""


class HttpClient:
    def __init__(self, port: int, timeout_s: float) -> None:
        self.port = port
        self.timeout_s = timeout_s
        self._conn: http.client.HTTPConnection | None = None

    def get(
        self, path: str, params: dict[str, str], headers: dict[str, str] | None = None
    ) -> tuple[float, bytes]:
        target = f"{path}?{urllib.parse.urlencode(params)}"
        return self._request("GET", target, None, headers or {})

    def post_query(self, path: str, query: str) -> tuple[float, bytes]:
        body = urllib.parse.urlencode({"query": query}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self._request("POST", path, body, headers)

    def retarget(self, port: int) -> None:
        """Follow a restarted server to its new port."""
        if port != self.port:
            self.close()
            self.port = port

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, float, bytes]:
        """Status, seconds and body of one request, whatever the status."""
        try:
            return self._exchange(method, target, body, headers)
        except (ConnectionError, http.client.HTTPException):
            # a keep-alive connection the server closed while idle: one retry on a new one
            return self._exchange(method, target, body, headers)

    def _request(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[float, bytes]:
        status, elapsed, data = self.send(method, target, body, headers)
        if status == 503:
            raise OverCap(data[:200].decode("utf-8", "replace"))
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {data[:300].decode('utf-8', 'replace')}")
        return elapsed, data

    def _exchange(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, float, bytes]:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout_s)
        start = time.perf_counter()
        try:
            self._conn.request(method, target, body, {"Accept": RESULTS_JSON, **headers})
            response = self._conn.getresponse()
            data = response.read()
        except TimeoutError as exc:
            self.close()
            raise OverCap(f"no answer within {self.timeout_s} s") from exc
        except (ConnectionError, http.client.HTTPException):
            self.close()
            raise
        return response.status, time.perf_counter() - start, data


def count_rows(body: bytes) -> int:
    document = json.loads(body)
    if "boolean" in document:
        return 1
    return len(document["results"]["bindings"])
