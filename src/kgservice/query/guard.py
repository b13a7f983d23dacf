"""Refuse SERVICE and LOAD to endpoints the operator has not allowed.

The embedded engine would otherwise fetch any URL a query names (pyoxigraph's SERVICE and LOAD
do HTTP), so this check runs before every query and update reaches a store.
"""

from collections.abc import Collection

from kgservice.errors import ForbiddenOperation
from kgservice.query.text import remote_operations


def check_remote_access(sparql: str, allowed: Collection[str]) -> None:
    for operation in remote_operations(sparql):
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
