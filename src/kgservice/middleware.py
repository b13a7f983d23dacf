"""ASGI middleware: the request body size limit and one log line per request.

Both are plain ASGI wrappers, so neither buffers a body nor delays a streamed response.
"""

import logging
import time
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kgservice.errors import PayloadTooLarge

log = logging.getLogger("kgservice.requests")


class BodySizeLimit:
    """Refuse a body longer than ``max_bytes`` with 413, by its Content-Length or, for a chunked
    body, as soon as the bytes read pass the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counting(receive), sending)
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


class RequestLog:
    """``METHOD PATH STATUS MS`` for every request, when the response has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            log.info("%s %s %d %.1f ms", scope["method"], scope["path"], status, elapsed)
