"""The store's default graph: a copy of the set union of its named graphs.

Queries without a dataset of their own run on the default graph, so it must be the union of the
named graphs as an RDF graph is: a set, where a triple held in two graphs is one triple.
Oxigraph's own union default graph (``use_default_graph_as_union``, ``oxigraph serve``'s
``union-default-graph``) repeats such a triple once per graph, so the store keeps the union
itself, in its real default graph, and every change to a named graph changes the copy in the
same update:

- before triples leave a named graph, those that no other named graph holds leave the copy
  (``unmirror``, ``drop``, ``delete``): once they are gone from the graph it cannot be told which
  were there;
- what enters a named graph enters the copy (``mirror``, ``insert_data``, ``insert``), and
  bulk loads add each quad's triple to the default graph beside it (``with_copies``).

Variables bind blank nodes like any other term, so a graph's blank nodes are copied and removed
as they are. The texts are plain SPARQL 1.1 Update, the same for every backend; the triples they
write to or delete from the copy are marked (``#union-copy{`` ... ``#union-copy}`` lines,
comments to SPARQL) so that a store that keeps the copy in a graph of its own (Virtuoso, whose
default graph is always its own union: ``virtuoso_union``) puts them in that graph
(``into_graph``). A store written before the copy existed, or whose bulk load stopped half-way,
gets it on opening (``ensure``).
"""

import logging
import re
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgservice.errors import StoreUnavailable

if TYPE_CHECKING:
    from kgservice.store.base import Store

log = logging.getLogger("kgservice.store")
_ELSEWHERE = "?unionElsewhere"
_HAS_NAMED_TRIPLES = "ASK { GRAPH ?g { ?s ?p ?o } }"
_HAS_DEFAULT_TRIPLES = "ASK { ?s ?p ?o }"
_BEGIN, _END = "#union-copy{", "#union-copy}"
_MARKED = re.compile(rf"^{re.escape(_BEGIN)}\n.*?^{re.escape(_END)}\n", re.S | re.M)
_TRIPLE = "?s ?p ?o"
DEFAULT_GRAPH = ox.DefaultGraph()
Copy = ox.NamedNode | ox.DefaultGraph
"""Where a store keeps the copy: its default graph or a graph of its own (``Store.union_graph``)."""


def _marked(text: str) -> str:
    """``text`` on lines of its own between the markers: a term's text holds no line break
    (N-Triples escapes it), so no marker line can come from the data."""
    return f"\n{_BEGIN}\n{text}\n{_END}\n"


COPY = f"INSERT {{{_marked(_TRIPLE)}}} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
"""The whole copy in one update (``Store.copy_union``)."""
_NAMED_ONLY = "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } }"
STRAYS = f"DELETE {{{_marked(_TRIPLE)}}} WHERE {{ ?s ?p ?o {_NAMED_ONLY} }}"
"""What the default graph holds and no named graph does (``Store.copy_union``)."""


def unmirror(graph: str) -> str:
    """Remove from the default graph what ``graph`` holds and no other named graph does: to run
    before ``graph`` is dropped or emptied."""
    return _delete_from_copy(graph, "?s ?p ?o", f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}")


def unmirror_triples(graph: str, triples: Iterable[ox.Triple]) -> str:
    """Remove from the default graph those of ``triples`` (without blank nodes) that no named
    graph but ``graph`` holds: to run before they leave ``graph``."""
    rows = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in triples)
    return _delete_from_copy(graph, "?s ?p ?o", f"VALUES (?s ?p ?o) {{ {rows} }}")


def mirror(graph: str) -> str:
    """Add to the default graph everything ``graph`` holds (an operation, after a ``;``)."""
    return f";\n{copy_of(graph)}\n"


def copy_of(graph: str) -> str:
    """The operation that adds to the default graph everything ``graph`` holds."""
    where = f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}"
    return f"INSERT {{{_marked(_TRIPLE)}}} WHERE {{ {where} }}"


def drop(graph: str) -> str:
    """``DROP SILENT GRAPH``, with its triples leaving the copy."""
    return f"{unmirror(graph)}DROP SILENT GRAPH {ox.NamedNode(graph)}"


def delete(graph: str, pattern: str, where: str) -> str:
    """``DELETE { GRAPH graph { pattern } } WHERE { where }`` for one triple ``pattern``, with
    the deleted triples that no other graph holds leaving the copy first. ``where`` reads named
    graphs only (``GRAPH ...``): the default graph has changed by the time it runs again."""
    named = f"DELETE {{ GRAPH {ox.NamedNode(graph)} {{ {pattern} }} }} WHERE {{ {where} }}"
    return f"{_delete_from_copy(graph, pattern, where)}{named}"


def _delete_from_copy(graph: str, pattern: str, where: str) -> str:
    others = f"GRAPH {_ELSEWHERE} {{ {pattern} }} FILTER({_ELSEWHERE} != {ox.NamedNode(graph)})"
    return f"DELETE {{{_marked(pattern)}}} WHERE {{ {where} FILTER NOT EXISTS {{ {others} }} }} ;\n"


def delete_data(graph: str, triples: Iterable[ox.Triple]) -> str:
    """``DELETE DATA`` of ``triples`` (without blank nodes) from ``graph``, with those that no
    other named graph holds leaving the copy first."""
    found = list(triples)
    data = f"DELETE DATA {{ GRAPH {ox.NamedNode(graph)} {{\n{lines(found)}}} }}"
    return f"{unmirror_triples(graph, found)}{data}" if found else data


def insert(graph: str, template: str, where: str) -> str:
    """``INSERT { GRAPH graph { template } } WHERE { where }``, into the copy first. ``where``
    reads named graphs only (``GRAPH ...``), so the copy's insert leaves it as it was. (Not
    one template of both: Virtuoso fails on a template that writes two graphs.)"""
    named = f"INSERT {{ GRAPH {ox.NamedNode(graph)} {{ {template} }} }} WHERE {{ {where} }}"
    return f"INSERT {{{_marked(template)}}} WHERE {{ {where} }} ;\n{named}"


def insert_data(graph: str, statements: str) -> str:
    """``INSERT DATA`` of ``statements`` (triples in N-Triples or Turtle's syntax) into
    ``graph`` and the copy: one operation, in which a blank node label names one node."""
    named = f"GRAPH {ox.NamedNode(graph)} {{\n{statements}\n}}"
    return f"INSERT DATA {{ {named}{_marked(statements)}}}"


def lines(triples: Iterable[ox.Triple]) -> str:
    """``triples`` in N-Triples, for ``insert_data`` and ``delete_data``."""
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def into_graph(sparql: str, graph: str) -> str:
    """``sparql`` with what it writes to or deletes from the copy in ``graph`` instead of the
    default graph: for a store that keeps the copy in a named graph."""
    return _MARKED.sub(lambda found: f"GRAPH {ox.NamedNode(graph)} {{{found.group()}}}", sparql)


def with_copies(quads: Iterable[ox.Quad], into: Copy = DEFAULT_GRAPH) -> Iterator[ox.Quad]:
    """Each quad, and its triple in the copy ``into`` (which keeps a triple once, however often
    it is added)."""
    for quad in quads:
        yield quad
        yield from copies((quad,), into)


def copies(quads: Iterable[ox.Quad], into: Copy = DEFAULT_GRAPH) -> Iterator[ox.Quad]:
    """The triple of each named-graph quad, in the copy ``into``."""
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, into)


def ensure(store: "Store") -> None:
    """Build the copy in a store written before it existed (its named graphs hold triples, its
    default graph none) or put it right after a bulk insert stopped half-way."""
    try:
        missing = not bool(store.query(_HAS_DEFAULT_TRIPLES)) and bool(
            store.query(_HAS_NAMED_TRIPLES)
        )
    except StoreUnavailable:  # a remote store not up yet: what asks it next says so
        return
    if missing or store.union_owed():
        log.info(
            "copying the union of the named graphs into the default graph (%s)", store.location
        )
        started = time.perf_counter()
        store.copy_union()
        log.info("default graph ready: %.1f s", time.perf_counter() - started)
