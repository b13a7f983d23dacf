"""Who writes: the bearer token of a request, as a FastAPI dependency."""

from typing import Annotated

from fastapi import Depends, Request

from kgservice.auth import Principal, authenticate


def require_principal(request: Request) -> Principal:
    """FastAPI dependency: the authenticated writer of this request."""
    return authenticate(request.headers.get("authorization"), request.app.state.settings)


Writer = Annotated[Principal, Depends(require_principal)]
"""A route parameter of this type makes the route need a bearer token."""
