"""Refuse SERVICE and LOAD to endpoints the operator has not allowed.

The embedded engine would otherwise fetch any URL a query names (pyoxigraph's SERVICE and LOAD
do HTTP), so this check runs before every query and update reaches a store.
"""

from collections.abc import Collection

from kgservice.errors import ForbiddenOperation
from kgservice.query.prepare import PreparedQuery
from kgservice.query.text import Remote, remote_operations_in


def check_remote_access(operation: PreparedQuery | str, allowed: Collection[str]) -> None:
    """``operation``: a prepared query (its operations found when it was prepared), or the
    text of an update, read here."""
    if isinstance(operation, PreparedQuery):
        found: Collection[Remote] = operation.remote
    else:
        found = remote_operations_in(operation)
    for remote in found:
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
