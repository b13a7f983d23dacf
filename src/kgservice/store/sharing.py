"""What lets several service processes share one remote store: a version that every write
changes, and one writer at a time.

Both live in the provenance graph, which every write records itself in anyway:

- the version is a token, ``<graph/provenance> dcterms:identifier "..."``, replaced by the last
  operation of every write's update, so a process that reads the same token before and after
  computing an answer knows no write came in between;
- a writer's turn is a claim, ``<graph/provenance#writer-ID> prov:startedAtTime T``, added
  before the write is computed and removed after it is committed. A writer goes on only when its
  own claim is the only live one; otherwise it withdraws, waits a random moment and claims
  again. Of two writers claiming at once, the later one to read sees both claims and withdraws
  (both may withdraw, and retry), so two never write at once: this needs only that a read sees
  every update committed before it began, which a single-node store gives.

A claim older than ``LEASE`` belongs to a process that stopped mid-write; it is ignored and
removed.
"""

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pyoxigraph as ox

from kgservice.errors import StoreUnavailable
from kgservice.namespaces import graph_iri
from kgservice.store import union
from kgservice.store.base import QueryResult, Store, solutions

IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
STARTED = ox.NamedNode("http://www.w3.org/ns/prov#startedAtTime")
LEASE = timedelta(minutes=5)
WAIT_S = 60.0
"""How long a writer waits for its turn before the write is refused (503)."""
_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_CLAIMS = """SELECT ?claim ?at WHERE { GRAPH ?g { ?claim ?started ?at
  FILTER(isIRI(?claim) && STRSTARTS(STR(?claim), ?prefix)) } }"""


def provenance_graph(base_iri: str) -> ox.NamedNode:
    return ox.NamedNode(graph_iri(base_iri, "provenance"))


def version_query(base_iri: str) -> str:
    """The query whose answer holds the store's version token (``token``)."""
    graph = provenance_graph(base_iri)
    return f"SELECT ?token WHERE {{ GRAPH {graph} {{ {graph} {IDENTIFIER} ?token }} }}"


def token(result: QueryResult) -> str | None:
    """The version token in the answer to ``version_query`` (None before the first write)."""
    rows = solutions(result)
    return next((row["token"].value for row in rows if row["token"] is not None), None)


def version_change(base_iri: str) -> str:
    """The update operations that give the store a new version token, the default graph's copy
    of the union with it (``kgservice.store.union``). (Not one DELETE/INSERT with an OPTIONAL:
    Virtuoso finds no row for an OPTIONAL that matches nothing.)"""
    g = provenance_graph(base_iri)
    token = ox.Literal(uuid.uuid4().hex)
    old = f"{g} {IDENTIFIER} ?old"
    new = f"{g} {IDENTIFIER} {token} ."
    gone = union.delete(g.value, old, f"GRAPH {g} {{ {old} }}")
    return f"{gone} ;\n{union.insert_data(g.value, new)}"


@contextmanager
def writer_turn(store: Store, base_iri: str, *, wait_s: float = WAIT_S) -> Iterator[None]:
    """Hold the store's one writer's turn for the duration of the block."""
    graph = provenance_graph(base_iri)
    claim = ox.NamedNode(f"{graph.value}#writer-{uuid.uuid4().hex}")
    _wait_for_turn(store, graph, claim, time.monotonic() + wait_s)
    try:
        yield
    finally:
        store.update(_withdrawn(graph, [claim]))


def _wait_for_turn(store: Store, graph: ox.NamedNode, claim: ox.NamedNode, deadline: float) -> None:
    pause = 0.01
    while True:
        now = ox.Literal(datetime.now(UTC).isoformat(), datatype=_DATE_TIME)
        store.update(union.insert_data(graph.value, f"{claim} {STARTED} {now} ."))
        if not _live_claims(store, graph, claim):
            return
        store.update(_withdrawn(graph, [claim]))
        if time.monotonic() > deadline:
            raise StoreUnavailable(
                "มีการเขียนข้อมูลอื่นอยู่ (another process is writing to the store; try again)",
                store=store.location,
            )
        time.sleep(random.uniform(pause / 2, pause))
        pause = min(pause * 2, 0.5)


def _live_claims(store: Store, graph: ox.NamedNode, mine: ox.NamedNode) -> list[str]:
    prefix = ox.Literal(f"{graph.value}#writer-")  # submissions have a startedAtTime too
    found = store.query(_CLAIMS, bindings={"g": graph, "started": STARTED, "prefix": prefix})
    rows = solutions(found)
    claims = {row["claim"].value: _moment(row["at"].value) for row in rows}
    expired = [c for c, at in claims.items() if datetime.now(UTC) - at > LEASE]
    if expired:
        store.update(_withdrawn(graph, [ox.NamedNode(c) for c in expired]))
    return [c for c in claims if c != mine.value and c not in expired]


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _withdrawn(graph: ox.NamedNode, claims: list[ox.NamedNode]) -> str:
    patterns = (f"{c} ?p ?o" for c in claims)
    return " ;\n".join(union.delete(graph.value, p, f"GRAPH {graph} {{ {p} }}") for p in patterns)
