"""``validate``: a submission against the shapes, together with the graph it links into."""

from collections.abc import Collection, Iterable

import pyoxigraph as ox

from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store import Store, Term
from kgservice.validation.context import Seeds, extract_context
from kgservice.validation.core import core_results
from kgservice.validation.report import ValidationReport, one_per_violation
from kgservice.validation.shapes import Shapes, load_shapes
from kgservice.validation.sparql_engine import sparql_results


def validate(
    store: Store,
    submission: Iterable[ox.Quad | ox.Triple],
    *,
    settings: Settings,
    replacing: Collection[str] = (),
    alone: Collection[str] = (),
) -> ValidationReport:
    """Validate ``submission`` (what ``parse_rdf`` returns, graph names ignored) with the part of
    ``store`` it links to. ``replacing`` names stored graphs the submission would replace, so their
    current content is not taken as context. Nor is ``graph/derived``: no rule reads it, and what
    it says of the submission's nodes was derived from the content being replaced. ``alone``:
    subjects of the submission that no other graph describes, as a write's authority check
    found (``services.authority``), so the store is not asked about them again. Only the
    submission's own nodes get results, one per violation."""
    derived = graph_iri(settings.base_iri, "derived")
    work, focus = working_graph(store, submission, replacing=[*replacing, derived], alone=alone)
    report = evaluate(work, focus, load_shapes(settings.shapes_dir))
    return ValidationReport(one_per_violation(report.results))


def working_graph(
    store: Store,
    submission: Iterable[ox.Quad | ox.Triple],
    *,
    replacing: Collection[str] = (),
    alone: Collection[str] = (),
) -> tuple[ox.Store, set[Term]]:
    """An in-memory store with the submission and its context, and the submission's subjects.

    In the store, literals are canonical (2500000.00 -> 2500000) as they are in the context, so
    a fact stated in both is one triple and not two."""
    work = ox.Store()
    seeds = Seeds()
    work.bulk_extend(ox.Quad(*seeds.see(t)) for t in as_triples(submission))
    context = extract_context(store, seeds, replacing=replacing, alone=alone)
    work.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in context)
    return work, seeds.subjects


def evaluate(work: ox.Store, focus: set[Term], shapes: Shapes) -> ValidationReport:
    """Every constraint our engine can run as SPARQL, the rest by pyshacl; results on ``focus``."""
    results = core_results(work, focus, shapes) + sparql_results(work, shapes.sparql)
    kept = {r for r in results if r.focus in focus}
    return ValidationReport(tuple(sorted(kept, key=lambda r: r.sort_key())))


def as_triples(submission: Iterable[ox.Quad | ox.Triple]) -> Iterable[ox.Triple]:
    return (q.triple if isinstance(q, ox.Quad) else q for q in submission)
