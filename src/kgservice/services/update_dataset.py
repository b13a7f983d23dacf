"""The SPARQL Protocol's ``using-graph-uri`` / ``using-named-graph-uri`` for an update.

The protocol parameters mean the same as ``USING`` / ``USING NAMED`` on every
``DELETE/INSERT ... WHERE`` operation of the request, so that is how they are applied: written
into the text before each such ``WHERE``. An update that names its own dataset (``USING``,
``WITH``) may not be given one by the protocol as well.
"""

from dataclasses import replace

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.query.prepare import PreparedUpdate


def with_protocol_dataset(
    update: PreparedUpdate, using: list[str], using_named: list[str]
) -> PreparedUpdate:
    if not using and not using_named:
        return update
    if update.own_dataset:
        raise BadRequest(
            "ระบุชุดกราฟซ้ำ (the update names its dataset with USING or WITH; "
            "do not also send using-graph-uri or using-named-graph-uri)"
        )
    clauses = [f"USING {_iri(g)}" for g in using] + [f"USING NAMED {_iri(g)}" for g in using_named]
    clause, text = f" {' '.join(clauses)} ", update.text
    for where in reversed(update.wheres):
        text = text[:where] + clause + text[where:]
    return replace(update, text=text, own_dataset=True, wheres=())


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise BadRequest(f"not an IRI: {value}") from exc
