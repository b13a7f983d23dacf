"""The SPARQL Protocol's ``using-graph-uri`` / ``using-named-graph-uri`` for an update.

The protocol parameters mean the same as ``USING`` / ``USING NAMED`` on every
``DELETE/INSERT ... WHERE`` operation of the request, so that is how they are applied: written
into the text before each such ``WHERE``. An update that names its own dataset (``USING``,
``WITH``) may not be given one by the protocol as well.
"""

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.query.text import tokens


def with_protocol_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    if not using and not using_named:
        return update
    clauses = [f"USING {_iri(g)}" for g in using] + [f"USING NAMED {_iri(g)}" for g in using_named]
    text = f" {' '.join(clauses)} "
    cuts = _modify_wheres(update)
    for cut in reversed(cuts):
        update = update[:cut] + text + update[cut:]
    return update


def _modify_wheres(update: str) -> list[int]:
    """Where each top-level ``WHERE`` of a DELETE/INSERT operation starts (not ``DELETE WHERE``)."""
    depth, previous, cuts = 0, "", []
    for token in tokens(update):
        word = token.text.upper() if token.kind == "word" else ""
        if token.text in "{}":
            depth += 1 if token.text == "{" else -1
        elif depth == 0 and word in {"USING", "WITH"}:
            raise BadRequest(
                "ระบุชุดกราฟซ้ำ (the update names its dataset with USING or WITH; "
                "do not also send using-graph-uri or using-named-graph-uri)"
            )
        elif depth == 0 and word == "WHERE" and previous != "DELETE":
            cuts.append(token.start)
        previous = word or token.text
    return cuts


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise BadRequest(f"not an IRI: {value}") from exc
