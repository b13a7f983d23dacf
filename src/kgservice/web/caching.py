"""Validators and conditional answers: ETag, If-None-Match -> 304, Cache-Control, Vary."""

import hashlib

from fastapi import Request, Response

CACHE_CONTROL = "public, max-age=60"


def etag_of(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return f'"{digest.hexdigest()[:32]}"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


def conditional(request: Request, response: Response, etag: str, vary: str) -> Response:
    """``response`` with its validators, or an empty 304 when the client already has it."""
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": vary}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
