"""The shapes graph, loaded once per directory and split for the two evaluators.

SPARQL-based constraints (``sh:sparql``) and the core constraints we can write as SPARQL
(``kgservice.validation.core_sparql``) go to our own engine, which runs each one once for all
focus nodes (``sparql``); pyshacl evaluates whatever core shapes remain (``core``).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from kgservice.validation.constraint import TARGETS, SparqlConstraint
from kgservice.validation.core_sparql import DESCRIPTIVE, NotCompiled, compile_shape

NOT_CONSTRAINTS = DESCRIPTIVE | set(TARGETS) | {SH.sparql}
"""What a shape may say besides constraints pyshacl would have to evaluate."""
PREDICATE_PARAMETERS = (
    SH.path,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
)


@dataclass(frozen=True)
class Shapes:
    graph: rdflib.Graph
    core: rdflib.Graph
    sparql: tuple[SparqlConstraint, ...]
    rules: dict[rdflib.term.Node, str]
    core_predicates: frozenset[str]
    pyshacl_shapes: frozenset[rdflib.term.Node]
    """Core shapes pyshacl still evaluates (none, for our shapes)."""

    def rule_of(self, shape: rdflib.term.Node) -> str:
        """The named shape a (possibly nested, blank) shape belongs to."""
        return self.rules.get(shape, str(shape))


def load_shapes(shapes_dir: Path) -> Shapes:
    return _load(str(Path(shapes_dir).resolve()))


@lru_cache(maxsize=4)
def _load(shapes_dir: str) -> Shapes:
    graph = rdflib.Graph()
    for path in sorted(Path(shapes_dir).glob("*.ttl")):
        graph.parse(path, format="turtle")
    sparql = [
        sparql_constraint(graph, shape, constraint)
        for shape, constraint in sorted(graph.subject_objects(SH.sparql))
        if (constraint, SH.deactivated, rdflib.Literal(True)) not in graph
    ]
    compiled, remaining = compile_core(graph)
    core = rdflib.Graph()
    for triple in graph:
        if triple[1] != SH.sparql and triple[0] not in compiled:
            core.add(triple)
    return Shapes(
        graph=graph,
        core=core,
        sparql=tuple(sparql + [c for cs in compiled.values() for c in cs]),
        rules=named_shapes(graph),
        core_predicates=used_predicates(core),
        pyshacl_shapes=frozenset(remaining),
    )


def compile_core(
    graph: rdflib.Graph,
) -> tuple[dict[rdflib.term.Node, list[SparqlConstraint]], list[rdflib.term.Node]]:
    """Shapes with targets written as SPARQL, and those left for pyshacl (shapes used inside
    other shapes go with them)."""
    compiled, remaining = {}, []
    top = {s for kind in TARGETS for s in graph.subjects(kind, None)}
    for shape in sorted(top, key=str):
        nested = (None, None, shape) in graph
        if (shape, SH.path, None) in graph and not nested:
            try:
                compiled[shape] = compile_shape(graph, shape)
                continue
            except NotCompiled:
                pass
        if set(graph.predicates(shape)) - NOT_CONSTRAINTS:
            remaining.append(shape)
    return compiled, remaining


def sparql_constraint(
    graph: rdflib.Graph, shape: rdflib.term.Node, constraint: rdflib.term.Node
) -> SparqlConstraint:
    if graph.value(shape, SH.path) is not None:
        raise ValueError(f"{shape}: SPARQL constraints are supported on node shapes only")
    messages = set(graph.objects(shape, SH.message)) | set(graph.objects(constraint, SH.message))
    return SparqlConstraint(
        shape=str(shape),
        severity=str(graph.value(shape, SH.severity) or SH.Violation),
        messages=tuple(sorted(m for m in messages if isinstance(m, rdflib.Literal))),
        select=str(graph.value(constraint, SH.select)),
        prefixes=declared_prefixes(graph, constraint),
        targets=tuple(
            (str(kind), target) for kind in TARGETS for target in graph.objects(shape, kind)
        ),
    )


def declared_prefixes(
    graph: rdflib.Graph, constraint: rdflib.term.Node
) -> tuple[tuple[str, str], ...]:
    found = set()
    for owner in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(owner, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            found.add((str(prefix), str(namespace)))
    return tuple(sorted(found))


def named_shapes(graph: rdflib.Graph) -> dict[rdflib.term.Node, str]:
    """Blank nested shapes -> the IRI of the named shape they hang from."""
    parents = {o: s for s, _, o in graph if isinstance(o, rdflib.BNode)}
    rules: dict[rdflib.term.Node, str] = {}
    for node in parents:
        top: rdflib.term.Node = node
        seen = set()
        while isinstance(top, rdflib.BNode) and top in parents and top not in seen:
            seen.add(top)
            top = parents[top]
        if isinstance(top, rdflib.URIRef):
            rules[node] = str(top)
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape)
    ):
        if isinstance(shape, rdflib.URIRef):
            rules[shape] = str(shape)
    return rules


def used_predicates(core: rdflib.Graph) -> frozenset[str]:
    """Predicates the core shapes read; a path other than a plain IRI is refused, since the
    validator gives pyshacl only a node's own triples and those of its value nodes."""
    found = {str(RDF.type), str(rdflib.RDFS.subClassOf)}
    for parameter in PREDICATE_PARAMETERS:
        for shape, predicate in core.subject_objects(parameter):
            if not isinstance(predicate, rdflib.URIRef):
                raise ValueError(f"{shape}: core shapes use plain predicate paths only")
            found.add(str(predicate))
    return frozenset(found)
