"""Constraints as SPARQL (``sh:sparql`` ones and core ones we translate), each evaluated once
for all focus nodes.

SHACL pre-binds ``$this`` to one focus node and runs the SELECT once per node (pyshacl does
exactly that, which is most of its cost). Here each SELECT is rewritten so ``?this`` ranges over
every focus node at once: the shape's targets become a sub-query at the start of the WHERE
group and the query runs once on an in-memory Oxigraph store, over the union of its named graphs
(``validation.working``). The rewrite is faithful for the
queries our shapes use (``$this`` in triple patterns, FILTER, FILTER [NOT] EXISTS, BIND, property
paths); a constraint with a nested SELECT is refused rather than evaluated differently.
"""

import re
from collections.abc import Collection, Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from kgservice.validation.constraint import SparqlConstraint
from kgservice.validation.report import ValidationResult
from kgservice.validation.terms import to_rdflib

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_THIS = re.compile(r"\$this\b")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def sparql_results(
    store: ox.Store,
    constraints: Iterable[SparqlConstraint],
    *,
    among: Collection[ox.NamedNode] | None = None,
) -> list[ValidationResult]:
    """Results of ``constraints`` over the union of the named graphs of ``store`` (submission
    and context), on every focus node or, with ``among``, on those of them only. The union
    repeats a statement two of a batch's graphs hold; results are taken as a set and our
    shapes count DISTINCT values, so a repeat changes nothing."""
    results: list[ValidationResult] = []
    for constraint in constraints:
        results.extend(evaluate(store, constraint, among=among))
    return results


def evaluate(
    store: ox.Store, constraint: SparqlConstraint, *, among: Collection[ox.NamedNode] | None = None
) -> list[ValidationResult]:
    query = all_focus_query(constraint, among=among)
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    rows = {tuple(row[name] for name in names) for row in solutions}
    return [result(constraint, dict(zip(names, row, strict=True))) for row in rows]


def all_focus_query(
    constraint: SparqlConstraint, *, among: Collection[ox.NamedNode] | None = None
) -> str:
    """The constraint's SELECT with ``?this`` bound to every focus node of its shape (of
    ``among`` only, if given: IRIs, written with their N-Triples syntax)."""
    query = _THIS.sub("?this", constraint.select)
    if len(_SELECT.findall(query)) != 1 or not _WHERE.search(query):
        raise ValueError(f"{constraint.shape}: needs one SELECT ... WHERE {{ }}, no sub-query")
    query = project_this(query)
    where = _WHERE.search(query)
    assert where is not None
    targets = target_pattern(constraint, among)
    query = f"{query[: where.end()]} {targets} {query[where.end() :]}"
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in constraint.prefixes)
    return prologue + query


def project_this(query: str) -> str:
    select = _SELECT.search(query)
    where = _WHERE.search(query)
    assert select is not None and where is not None
    projection = query[select.end() : where.start()]
    if "?this" in projection or "*" in projection:
        return query
    return f"{query[: select.end()]} ?this{query[select.end() :]}"


def target_pattern(
    constraint: SparqlConstraint, among: Collection[ox.NamedNode] | None = None
) -> str:
    branches = [target_branch(kind, node) for kind, node in constraint.targets]
    if not branches:
        raise ValueError(f"{constraint.shape}: a SPARQL-based shape needs a target")
    only = "" if among is None else "VALUES ?this { " + " ".join(map(str, among)) + " } "
    return "{ SELECT DISTINCT ?this WHERE { " + only + " UNION ".join(branches) + " } }"


def target_branch(kind: str, node: rdflib.term.Node) -> str:
    term = node.n3()
    if kind == str(SH.targetClass):
        return f"{{ ?this {RDF_TYPE}/{SUBCLASS_OF}* {term} }}"
    if kind == str(SH.targetNode):
        return f"{{ VALUES ?this {{ {term} }} }}"
    if kind == str(SH.targetSubjectsOf):
        return f"{{ ?this {term} [] }}"
    return f"{{ [] {term} ?this }}"


def result(constraint: SparqlConstraint, row: dict[str, object]) -> ValidationResult:
    """As SHACL says: for a node shape ``?value`` defaults to the focus node and ``?path`` to
    none; for a property shape's constraint the path is the shape's and the value is optional."""
    bound = {name: term for name, term in row.items() if term is not None}
    focus = bound["this"]
    path = ox.NamedNode(constraint.path) if constraint.path else None
    messages = {
        m.language or "": substitute(str(m), bound) if constraint.fills_messages else str(m)
        for m in constraint.messages
    }
    return ValidationResult(
        rule=constraint.shape,
        severity=constraint.severity,
        focus=focus,  # type: ignore[arg-type]
        path=bound.get("path", path),  # type: ignore[arg-type]
        value=bound.get("value", None if constraint.path else focus),  # type: ignore[arg-type]
        messages=messages,
        component=constraint.component,
    )


def substitute(message: str, bound: dict[str, object]) -> str:
    """``{?name}`` and ``{$name}`` become the bound value, as pyshacl writes it."""

    def value(found: re.Match[str]) -> str:
        term = bound.get(found.group(1))
        return found.group(0) if term is None else str(to_rdflib(term))  # type: ignore[arg-type]

    return _PLACEHOLDER.sub(value, message)
