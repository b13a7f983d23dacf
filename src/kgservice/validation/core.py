"""Core SHACL constraints through pyshacl, on the submission and its context only."""

from collections.abc import Iterable

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from kgservice.validation.report import ValidationResult
from kgservice.validation.shapes import Shapes
from kgservice.validation.terms import rdflib_graph, to_ox


def core_results(triples: Iterable[ox.Triple], shapes: Shapes) -> list[ValidationResult]:
    _, report, _ = pyshacl.validate(
        rdflib_graph(triples),
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
