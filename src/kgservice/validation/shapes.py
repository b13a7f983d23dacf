"""The shapes graph, loaded once per directory and split for the two evaluators.

pyshacl evaluates the core constraints (``core``); SPARQL-based constraints (``sh:sparql``) go to
our own engine, which runs each one once for all focus nodes (``sparql``).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape, with what its results need."""

    shape: str
    severity: str
    messages: tuple[rdflib.Literal, ...]
    select: str
    prefixes: tuple[tuple[str, str], ...]
    targets: tuple[tuple[str, rdflib.term.Node], ...]


@dataclass(frozen=True)
class Shapes:
    graph: rdflib.Graph
    core: rdflib.Graph
    sparql: tuple[SparqlConstraint, ...]
    rules: dict[rdflib.term.Node, str]

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
    core = rdflib.Graph()
    for triple in graph:
        if triple[1] != SH.sparql:
            core.add(triple)
    sparql = tuple(
        sparql_constraint(graph, shape, constraint)
        for shape, constraint in sorted(graph.subject_objects(SH.sparql))
        if (constraint, SH.deactivated, rdflib.Literal(True)) not in graph
    )
    return Shapes(graph=graph, core=core, sparql=sparql, rules=named_shapes(graph))


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
