"""The last graph validated, kept to validate that graph's next content by its difference.

An office sends its workbook again with a few rows changed, or unchanged: building the working
graph anew (the whole submission parsed into a new store) and running every rule on every node
is most of what its validation costs. The working graph of the last single-graph validation is
kept with what it was made of (the submission's statements and the context the store gave); the
next validation of the same graph asks the store for its context as always, and then:

- the same statements and the same context: the same working graph, so the same report;
- otherwise the kept working graph is brought to the new statements and context (only the
  difference is removed and added); with the same context, the one-hop rules run again on the
  nodes the difference reaches only (``_reached``), their other results kept, and the rules
  that look across nodes run on every node; with another context, every rule on every node.

The working graph is, statement for statement, the one a fresh validation builds, so the report
is the same (``tests/shapes/test_incremental.py`` compares them, edits whose violations fall on
nodes they did not touch included).
"""

import threading
from collections.abc import Callable, Collection, Container, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import RDFS, SH

from kgservice.store import Store
from kgservice.validation.context import extract_context
from kgservice.validation.report import ValidationReport, on_nodes
from kgservice.validation.shapes import Shapes
from kgservice.validation.sparql_engine import sparql_results
from kgservice.validation.working import CONTEXT, SUBMISSION, Working, seeds_of_triples

SPARQL_BASED = str(SH.SPARQLConstraintComponent)
SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
REACH_AT_MOST = 2000
"""Changed statements past which every rule runs on every node (one query per rule then
costs less than naming that many nodes in each)."""


@dataclass
class _Kept:
    graph: str
    shapes: Shapes
    submission: frozenset[ox.Triple]
    context: frozenset[ox.Triple]
    """As the store gave it; the working graph holds what the submission does not state."""
    work: Working
    report: ValidationReport


class LastValidation:
    """One kept working graph; a validation takes it out while it runs, so two at a time (a
    dry run beside a write) never share it: the second builds its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: _Kept | None = None

    def evaluate(
        self,
        store: Store,
        submission: Sequence[ox.Triple],
        shapes: Shapes,
        *,
        graph: str,
        replacing: Collection[str],
        alone: Container[str],
        evaluate: Callable[[Working, Shapes], ValidationReport],
    ) -> ValidationReport:
        """The report of ``evaluate`` (the rules on a working graph) on ``submission``
        replacing ``graph``, with its context from ``store``."""
        statements = frozenset(submission)
        seeds = seeds_of_triples(statements)
        context = frozenset(extract_context(store, seeds, replacing=replacing, alone=alone))
        kept = self._take(graph, shapes)
        if kept is not None and (kept.submission, kept.context) == (statements, context):
            self._put(kept)
            return kept.report
        if kept is None:
            work = Working.of_triples(statements)
            work.add_context(context)
            report = evaluate(work, shapes)
        else:
            work = _brought_to(kept, statements, context)
            work.seeds = seeds
            reached = _reached(work.store, kept.submission ^ statements)
            if kept.context != context or shapes.pyshacl_shapes or reached is None:
                report = evaluate(work, shapes)
            else:
                report = _rerun(kept.report, work, shapes, reached)
        self._put(_Kept(graph, shapes, statements, context, work, report))
        return report

    def _take(self, graph: str, shapes: Shapes) -> _Kept | None:
        with self._lock:
            kept, self._kept = self._kept, None
        if kept is None or kept.graph != graph or kept.shapes is not shapes:
            return None
        return kept

    def _put(self, kept: _Kept) -> None:
        with self._lock:
            self._kept = kept


def _reached(store: ox.Store, changed: frozenset[ox.Triple]) -> set[ox.NamedNode] | None:
    """The focus nodes whose results from the one-hop rules the ``changed`` statements may
    change (None: too many, or the class hierarchy changed, so every rule runs on every node).

    Those rules (the core constraints written as SPARQL: ``validation.core_sparql``) read a
    focus node's own statements and, for ``sh:class``, ``sh:node`` and qualified value shapes,
    those of its values, with the class hierarchy; ``sh:targetObjectsOf`` makes a node a focus
    by a statement that points at it. So: the subjects and objects of the changed statements,
    and the nodes that point at one of those subjects (in the graph as it is now; one that
    pointed at it before and no longer does changed a statement of its own)."""
    if len(changed) > REACH_AT_MOST or any(map(_hierarchy_or_blank, changed)):
        return None
    subjects = {t.subject for t in changed if isinstance(t.subject, ox.NamedNode)}
    objects = {t.object for t in changed if isinstance(t.object, ox.NamedNode)}
    pointing = {
        q.subject
        for s in subjects
        for q in store.quads_for_pattern(None, None, s)
        if isinstance(q.subject, ox.NamedNode)
    }
    return subjects | objects | pointing


def _rerun(
    kept: ValidationReport, work: Working, shapes: Shapes, reached: set[ox.NamedNode]
) -> ValidationReport:
    """The report of every rule on ``work``: the one-hop rules' results on the nodes not
    ``reached`` as they were, those on the reached nodes found again, the other rules (which
    may look across any number of nodes, e.g. up a plan's ``tp:partOf`` chain or back from an
    allocation to its project) run on every node."""
    one_hop = [c for c in shapes.sparql if c.component != SPARQL_BASED]
    across = [c for c in shapes.sparql if c.component == SPARQL_BASED]
    results = [r for r in kept.results if r.component != SPARQL_BASED and r.focus not in reached]
    results += sparql_results(work.store, one_hop, among=reached)
    results += sparql_results(work.store, across)
    return on_nodes(results, work.seeds.subjects)


def _hierarchy_or_blank(statement: ox.Triple) -> bool:
    """A statement of the class hierarchy, or one about or pointing at a blank node (a query
    cannot name one)."""
    return (
        statement.predicate == SUBCLASS_OF
        or isinstance(statement.subject, ox.BlankNode)
        or isinstance(statement.object, ox.BlankNode)
    )


def _brought_to(
    kept: _Kept, statements: frozenset[ox.Triple], context: frozenset[ox.Triple]
) -> Working:
    """The kept working graph changed to hold ``statements`` and ``context`` (what a fresh
    one holds: the context's statements that the submission does not make)."""
    store = kept.work.store
    _change(store, SUBMISSION, kept.submission - statements, statements - kept.submission)
    before, after = kept.context - kept.submission, context - statements
    _change(store, CONTEXT, before - after, after - before)
    return kept.work


def _change(
    store: ox.Store, graph: ox.NamedNode, gone: frozenset[ox.Triple], added: frozenset[ox.Triple]
) -> None:
    for t in gone:
        store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in added)
