"""Core SHACL constraints through pyshacl, a batch of focus nodes at a time.

Our core shapes read a focus node's own triples and, for ``sh:class``, ``sh:node`` and qualified
value shapes, the triples of its value nodes: one hop. So pyshacl gets, per batch, the batch's
triples, those of the nodes they point at, and the class hierarchy, restricted to the predicates
the core shapes use. That keeps rdflib's copy small whatever the size of the submission.
"""

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from kgservice.store import Term
from kgservice.validation.report import ValidationResult
from kgservice.validation.shapes import Shapes
from kgservice.validation.terms import rdflib_graph, to_ox

BATCH = 5000
"""Focus nodes per pyshacl run."""

SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))


def core_results(
    work: ox.Store, focus: Iterable[Term], shapes: Shapes, *, batch: int = BATCH
) -> list[ValidationResult]:
    """Results of the core shapes on ``focus`` nodes, with ``work`` as the data graph."""
    if not shapes.pyshacl_shapes:
        return []
    nodes = sorted(focus, key=str)
    hierarchy = [q.triple for q in work.quads_for_pattern(None, SUBCLASS_OF, None)]
    results: list[ValidationResult] = []
    for start in range(0, len(nodes), batch):
        chunk = set(nodes[start : start + batch])
        graph = rdflib_graph([*hierarchy, *neighbourhood(work, chunk, shapes.core_predicates)])
        results.extend(r for r in pyshacl_results(graph, shapes) if r.focus in chunk)
    return results


def neighbourhood(
    work: ox.Store, nodes: set[Term], predicates: frozenset[str]
) -> Iterator[ox.Triple]:
    """The nodes' triples and those of the nodes they point at, on ``predicates`` only."""
    seen: set[Term] = set()
    pending = list(nodes)
    for hop in range(2):
        reached: list[Term] = []
        for node in pending:
            if node in seen or isinstance(node, ox.Literal):
                continue
            seen.add(node)
            for quad in work.quads_for_pattern(node, None, None):
                if quad.predicate.value in predicates and not isinstance(quad.object, ox.Triple):
                    yield quad.triple
                    reached.append(quad.object)
        pending = reached if hop == 0 else []


def pyshacl_results(graph: rdflib.Graph, shapes: Shapes) -> list[ValidationResult]:
    _, report, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes.core,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    assert isinstance(report, rdflib.Graph)
    return [
        from_report(report, node, shapes) for node in report.subjects(RDF.type, SH.ValidationResult)
    ]


def from_report(report: rdflib.Graph, node: rdflib.term.Node, shapes: Shapes) -> ValidationResult:
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    return ValidationResult(
        rule=shapes.rule_of(report.value(node, SH.sourceShape)),  # type: ignore[arg-type]
        severity=str(report.value(node, SH.resultSeverity)),
        focus=to_ox(report.value(node, SH.focusNode)),  # type: ignore[arg-type]
        path=None if path is None else to_ox(path),  # type: ignore[arg-type]
        value=None if value is None else to_ox(value),
        messages={
            m.language or "": str(m)
            for m in report.objects(node, SH.resultMessage)
            if isinstance(m, rdflib.Literal)
        },
        component=str(report.value(node, SH.sourceConstraintComponent)),
        path_triples=path_structure(report, path),
    )


def path_structure(report: rdflib.Graph, path: rdflib.term.Node | None) -> tuple[ox.Triple, ...]:
    """The triples describing a complex path (e.g. ``[ sh:oneOrMorePath tp:partOf ]``)."""
    if not isinstance(path, rdflib.BNode):
        return ()
    found: list[ox.Triple] = []
    for p, o in report.predicate_objects(path):
        found.append(ox.Triple(to_ox(path), to_ox(p), to_ox(o)))  # type: ignore[arg-type]
        found.extend(path_structure(report, o))
    return tuple(found)
