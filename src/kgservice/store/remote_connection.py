"""One HTTP connection to a remote store kept open from request to request, for the small query
a service process sends most often (the version token's read, ``store.sharing``).

SPARQLWrapper and urllib open a new connection for every query: a TCP handshake, a new socket
for the server to accept and a new request object on each side. HTTP/1.1's persistent
connections spare all three. A connection the server has closed meanwhile (its keep-alive time
ran out) is found when the next request fails to be sent or answered, and that request is sent
once again on a new one: only read-only queries go this way, so sending one twice is harmless.
"""

import http.client
import threading
import weakref
from dataclasses import dataclass
from urllib.parse import urlsplit

_STALE = (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionError)
"""What sending on a connection the server closed raises (ConnectionError: reset, broken pipe)."""


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes


class KeptConnection:
    def __init__(self, url: str, timeout_s: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an HTTP URL: {url}")
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._target = parts.path + (f"?{parts.query}" if parts.query else "")
        self._timeout_s = timeout_s
        self._held: list[http.client.HTTPConnection] = []
        """The open connection, if any: in a list of its own so that a store dropped without
        ``close`` still closes it (``weakref.finalize``), as a connection per query did."""
        self._lock = threading.Lock()  # one request at a time on the one connection
        weakref.finalize(self, _close, self._held)

    def post(self, body: bytes, headers: dict[str, str]) -> Answer:
        """POST ``body`` to the URL; a request on a connection found closed is sent again."""
        with self._lock:
            reused = bool(self._held)
            try:
                return self._exchange(body, headers)
            except _STALE:
                self._close()
                if not reused:
                    raise
            return self._exchange(body, headers)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _exchange(self, body: bytes, headers: dict[str, str]) -> Answer:
        connection = self._held[0] if self._held else self._open()
        try:
            connection.request("POST", self._target, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, _media_type(response), response.read())
        except BaseException:
            self._close()
            raise
        if response.will_close:
            self._close()
        return answer

    def _open(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        self._held.append(kind(self._host, self._port, timeout=self._timeout_s))
        return self._held[0]

    def _close(self) -> None:
        _close(self._held)


def _close(held: list[http.client.HTTPConnection]) -> None:
    while held:
        held.pop().close()


def _media_type(response: http.client.HTTPResponse) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()
