"""``validate``: a submission against the shapes, together with the graph it links into."""

from collections.abc import Collection, Container, Iterable

import pyoxigraph as ox

from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.validation.context import extract_context
from kgservice.validation.core import core_results
from kgservice.validation.incremental import LastValidation
from kgservice.validation.report import ValidationReport, on_nodes, one_per_violation
from kgservice.validation.shapes import Shapes, load_shapes
from kgservice.validation.sparql_engine import sparql_results
from kgservice.validation.working import Working, as_triples


def validate(
    store: Store,
    submission: Iterable[ox.Quad | ox.Triple] | Working,
    *,
    settings: Settings,
    replacing: Collection[str] = (),
    alone: Container[str] = (),
    last: LastValidation | None = None,
) -> ValidationReport:
    """Validate ``submission`` (what ``parse_rdf`` returns, graph names ignored, or a bulk load's
    batch already in its working graph) with the part of ``store`` it links to. ``replacing``
    names stored graphs the submission would replace, so their current content is not taken as
    context. Nor is ``graph/derived``: no rule reads it, and what it says of the submission's
    nodes was derived from the content being replaced. ``alone``: subjects of the submission
    that no other graph describes, as a write's authority check found (``services.authority``)
    or a bulk load knows, so the store is not asked about them again. Only the submission's own
    nodes get results, one per violation. ``last``: where the working graph of a validation
    replacing one graph is kept, so the next one of that graph changes it by the difference
    (``validation.incremental``)."""
    derived = graph_iri(settings.base_iri, "derived")
    shapes = load_shapes(settings.shapes_dir)
    if isinstance(submission, Working):
        work = working_graph(store, submission, replacing=[*replacing, derived], alone=alone)
        return ValidationReport(one_per_violation(evaluate(work, shapes).results))
    statements = list(as_triples(submission))
    if last is not None and len(replacing) == 1:
        (graph,) = replacing
        report = last.evaluate(
            store,
            statements,
            shapes,
            graph=graph,
            replacing=[graph, derived],
            alone=alone,
            evaluate=evaluate,
        )
    else:
        work = working_graph(store, statements, replacing=[*replacing, derived], alone=alone)
        report = evaluate(work, shapes)
    return ValidationReport(one_per_violation(report.results))


def working_graph(
    store: Store,
    submission: Iterable[ox.Quad | ox.Triple] | Working,
    *,
    replacing: Collection[str] = (),
    alone: Container[str] = (),
) -> Working:
    """The submission with its context from ``store``.

    In the store, literals are canonical (2500000.00 -> 2500000) as they are in the context, so
    a fact stated in both is the same triple."""
    work = submission if isinstance(submission, Working) else Working.of_triples(submission)
    work.add_context(extract_context(store, work.seeds, replacing=replacing, alone=alone))
    return work


def evaluate(work: Working, shapes: Shapes) -> ValidationReport:
    """Every constraint our engine can run as SPARQL, the rest by pyshacl; results on the
    submission's own nodes."""
    focus = work.seeds.subjects
    results = core_results(work.store, focus, shapes) + sparql_results(work.store, shapes.sparql)
    return on_nodes(results, focus)
