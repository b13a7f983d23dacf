"""ASGI middleware: the request body size limit, CORS for reads, the browser's safeguards, one
log line per request.

All are plain ASGI wrappers, so none buffers a body or delays a streamed response.
"""

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kgservice.errors import PayloadTooLarge

log = logging.getLogger("kgservice.requests")

READ = "kgservice.read"
"""Scope key a router sets on a request that only reads (a SPARQL query)."""


class _HttpMiddleware(ABC):
    """Passes anything but HTTP straight through; subclasses ``handle`` HTTP requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request."""


def on_start(send: Send, seen: Callable[[Message], None]) -> Send:
    """``send``, calling ``seen`` with the response's start message before it goes out."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            seen(message)
        await send(message)

    return sending


class BodySizeLimit(_HttpMiddleware):
    """Refuse a body longer than ``max_bytes`` with 413, by its Content-Length or, for a chunked
    body, as soon as the bytes read pass the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        started: list[Message] = []
        try:
            await self.app(scope, self._counting(receive), on_start(send, started.append))
        except PayloadTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise self._error()
            return message

        return counting

    def _error(self) -> PayloadTooLarge:
        return PayloadTooLarge(
            f"เนื้อหาคำขอใหญ่เกิน {self.max_bytes} ไบต์ (the request body is over "
            f"{self.max_bytes} bytes)",
            max_bytes=self.max_bytes,
        )

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = self._error()
        body: dict[str, Any] = {"error": error.code, "message": error.message, **error.details}
        await JSONResponse(body, status_code=error.status)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class ReadCors(_HttpMiddleware):
    """``Access-Control-Allow-Origin: *`` on every answer to a read, errors included, so browser
    tools on other sites can show why a query failed: GET and HEAD, and any request a router
    marks with ``scope[READ]``; the paging headers of a named query's answer are readable there
    too. Updates get none, and the preflight (``OPTIONS /sparql``)
    allows no ``Authorization`` header, so no page on another site can send a writer's token."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        def allow_any_origin(message: Message) -> None:
            headers = message.setdefault("headers", [])
            is_read = scope["method"] in {"GET", "HEAD"} or scope.get(READ)
            if is_read and not any(n == b"access-control-allow-origin" for n, _ in headers):
                headers.append((b"access-control-allow-origin", b"*"))
                headers.append((b"access-control-expose-headers", b"Total-Count, Link, ETag"))

        await self.app(scope, receive, on_start(send, allow_any_origin))


SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders(_HttpMiddleware):
    """What keeps a page safe in the reader's browser, on every answer (an RDF or JSON answer
    opened in a tab is a page too): scripts and styles from this site's files only, never
    inline, so that text a writer managed to slip into a page cannot run; no content type
    guessed; no framing by other sites; no page addresses sent to other sites."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        def protect(message: Message) -> None:
            # A new list: the response's own may be sent again.
            message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]

        await self.app(scope, receive, on_start(send, protect))


class RequestLog(_HttpMiddleware):
    """``METHOD PATH STATUS MS`` for every request, when the response has been sent."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        started: list[Message] = []
        try:
            await self.app(scope, receive, on_start(send, started.append))
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            status = started[0]["status"] if started else 500
            log.info("%s %s %d %.1f ms", scope["method"], scope["path"], status, elapsed)
