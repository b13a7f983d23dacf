"""Refuse SERVICE and LOAD to endpoints the operator has not allowed; blame an allowed one that
answers with something unusable.

The embedded engine would otherwise fetch any URL a query names (pyoxigraph's SERVICE and LOAD
do HTTP), so this check runs before every query and update reaches a store.
"""

from collections.abc import Collection

from kgservice.errors import BadGateway, ForbiddenOperation
from kgservice.query.prepare import PreparedQuery, PreparedUpdate
from kgservice.query.text import Remote


def check_remote_access(
    operation: PreparedQuery | PreparedUpdate, allowed: Collection[str]
) -> None:
    """``operation``'s SERVICE and LOAD, found when it was prepared."""
    for remote in operation.remote:
        _check(remote, allowed)


def _check(operation: Remote, allowed: Collection[str]) -> None:
    if operation.iri is None:
        raise ForbiddenOperation(
            f"{operation.keyword} ต้องระบุ IRI ของปลายทางที่อนุญาต "
            f"({operation.keyword} needs the IRI of an allowed endpoint, not a variable)",
            operation=operation.keyword,
        )
    if operation.iri not in allowed:
        raise ForbiddenOperation(
            f"ไม่อนุญาตให้เรียก {operation.iri} "
            f"({operation.keyword} <{operation.iri}> is not an allowed endpoint)",
            operation=operation.keyword,
            endpoint=operation.iri,
        )


REMOTE_FAILURES = (OSError, RuntimeError)
"""What pyoxigraph raises when an endpoint cannot be reached, redirects, or answers in a format
the operation cannot read (a results document to LOAD, HTML to SERVICE)."""


def remote_failure(remotes: Collection[Remote], error: Exception) -> BadGateway:
    endpoints = sorted({r.iri for r in remotes if r.iri})
    named = ", ".join(f"<{e}>" for e in endpoints)
    return BadGateway(
        f"ปลายทาง {named} ตอบกลับไม่ถูกต้อง (the allowed endpoint {named} gave no usable "
        f"answer: {error})",
        endpoints=endpoints,
    )
