"""Core constraints of property shapes written as SPARQL, to run once for all focus nodes.

pyshacl walks every focus node and value node in Python, which is most of a validation's time.
For the core components our shapes use, the same check is one SELECT per constraint that the
SPARQL engine runs over all focus nodes at once. Each query keeps SHACL's result conventions
(which constraints report a value node, that incomparable values fail a range, that a literal
of the wrong lexical form fails ``sh:datatype``). A shape with any other parameter is not
compiled and stays with pyshacl; a test checks that both give the same results.
"""

from collections.abc import Callable

import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kgservice.validation.constraint import TARGETS, SparqlConstraint

Query = tuple[str, str]
"""A SELECT (with ``$this``) and the local name of its SHACL constraint component."""
Compiler = Callable[[rdflib.Graph, Node, str], list[Query]]

TYPE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.dateTime}
DESCRIPTIVE = {RDF.type, RDFS.label, RDFS.isDefinedBy, SH.description, SH.message, SH.severity}
COUNTS_OF_QUALIFIED = {SH.qualifiedMinCount, SH.qualifiedMaxCount}


class NotCompiled(Exception):
    """The shape uses something we do not write as SPARQL; pyshacl evaluates it."""


def compile_shape(graph: rdflib.Graph, shape: Node) -> list[SparqlConstraint]:
    """One constraint per parameter of a named property shape with a plain IRI path."""
    path = graph.value(shape, SH.path)
    if not isinstance(path, rdflib.URIRef) or not isinstance(shape, rdflib.URIRef):
        raise NotCompiled(shape)
    ignored = DESCRIPTIVE | COUNTS_OF_QUALIFIED | {SH.path, *TARGETS}
    parameters = sorted({p for p in graph.predicates(shape) if p not in ignored}, key=str)
    compiled = []
    for parameter in parameters:
        compiler = COMPILERS.get(parameter)
        if compiler is None:
            raise NotCompiled(f"{shape}: {parameter}")
        for select, component in compiler(graph, shape, path.n3()):
            compiled.append(constraint(graph, shape, path, select, component))
    return compiled


def constraint(
    graph: rdflib.Graph, shape: rdflib.URIRef, path: rdflib.URIRef, select: str, component: str
) -> SparqlConstraint:
    messages = (m for m in graph.objects(shape, SH.message) if isinstance(m, rdflib.Literal))
    return SparqlConstraint(
        shape=str(shape),
        severity=str(graph.value(shape, SH.severity) or SH.Violation),
        messages=tuple(sorted(messages)),
        select=select,
        prefixes=(),
        targets=tuple((str(k), t) for k in TARGETS for t in graph.objects(shape, k)),
        path=str(path),
        component=str(SH[component]),
        fills_messages=False,
    )


def parameter_value(graph: rdflib.Graph, shape: Node, parameter: rdflib.URIRef) -> str:
    value = graph.value(shape, parameter)
    assert value is not None
    return value.n3()


def counted(
    graph: rdflib.Graph, shape: Node, path: str, limit: rdflib.URIRef, compare: str, condition: str
) -> str:
    """Focus nodes whose number of (matching) values breaks ``compare`` the limit."""
    bound = parameter_value(graph, shape, limit)
    return (
        f"SELECT $this WHERE {{ OPTIONAL {{ $this {path} ?v . {condition} }} }} "
        f"GROUP BY $this HAVING (COUNT(DISTINCT ?v) {compare} {bound})"
    )


def failing_values(path: str, test: str) -> str:
    return f"SELECT $this ?value WHERE {{ $this {path} ?value . FILTER ({test}) }}"


def lacking(path: str, pattern: str) -> str:
    """Value nodes for which ``pattern`` has no match (OPTIONAL/!BOUND: cheap on Oxigraph)."""
    return (
        f"SELECT $this ?value WHERE {{ $this {path} ?value . "
        f"OPTIONAL {{ {pattern} BIND (true AS ?ok) }} FILTER (!BOUND(?ok)) }}"
    )


def min_count(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    return [(counted(graph, shape, path, SH.minCount, "<", ""), "MinCountConstraintComponent")]


def max_count(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    return [(counted(graph, shape, path, SH.maxCount, ">", ""), "MaxCountConstraintComponent")]


def datatype(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    kind = graph.value(shape, SH.datatype)
    if kind not in CASTABLE | {XSD.string, RDF.langString}:
        raise NotCompiled(f"{shape}: sh:datatype {kind}")
    name = parameter_value(graph, shape, SH.datatype)
    test = f"!isLiteral(?value) || datatype(?value) != {name}"
    if kind in CASTABLE:  # an ill-typed literal ("2567a"^^xsd:integer) does not cast
        test += f" || !COALESCE({name}(STR(?value)) = {name}(STR(?value)), false)"
    return [(failing_values(path, test), "DatatypeConstraintComponent")]


def range_check(operator: str, parameter: rdflib.URIRef, component: str) -> Compiler:
    """Incomparable values fail too, as SHACL says (hence the COALESCE)."""

    def compiler(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
        limit = parameter_value(graph, shape, parameter)
        return [(failing_values(path, f"!COALESCE(?value {operator} {limit}, false)"), component)]

    return compiler


def pattern(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    if (shape, SH.flags, None) in graph:
        raise NotCompiled(f"{shape}: sh:flags")
    regex = parameter_value(graph, shape, SH.pattern)
    test = f"isBlank(?value) || !REGEX(STR(?value), {regex})"
    return [(failing_values(path, test), "PatternConstraintComponent")]


def language_in(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    tags = graph.value(shape, SH.languageIn)
    assert tags is not None
    tagged = language_test(graph, tags, "?value")
    test = f"!isLiteral(?value) || !({tagged})"
    return [(failing_values(path, test), "LanguageInConstraintComponent")]


def language_test(graph: rdflib.Graph, tags: Node, var: str) -> str:
    """True when ``var``'s language tag matches one of ``tags`` (an RDF list), as SHACL's
    ``sh:languageIn`` asks: ``langMatches``, so "th" takes "th-TH" too."""
    return " || ".join(f"langMatches(lang({var}), {tag.n3()})" for tag in graph.items(tags))


def class_of(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    wanted = parameter_value(graph, shape, SH["class"])
    return [(lacking(path, f"?value {TYPE_OF} {wanted} ."), "ClassConstraintComponent")]


def node(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    nested = conforms(graph, graph.value(shape, SH.node), "?value")
    return [(lacking(path, nested), "NodeConstraintComponent")]


def less_than_or_equals(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    other = parameter_value(graph, shape, SH.lessThanOrEquals)
    select = (
        f"SELECT $this ?value WHERE {{ $this {path} ?value ; {other} ?other . "
        f"FILTER (!COALESCE(?value <= ?other, false)) }}"
    )
    return [(select, "LessThanOrEqualsConstraintComponent")]


def qualified(graph: rdflib.Graph, shape: Node, path: str) -> list[Query]:
    if (shape, SH.qualifiedValueShapesDisjoint, None) in graph:
        raise NotCompiled(f"{shape}: sh:qualifiedValueShapesDisjoint")
    matching = conforms(graph, graph.value(shape, SH.qualifiedValueShape), "?v")
    limits = [(SH.qualifiedMinCount, "<", "Min"), (SH.qualifiedMaxCount, ">", "Max")]
    return [
        (
            counted(graph, shape, path, limit, compare, matching),
            f"Qualified{kind}CountConstraintComponent",
        )
        for limit, compare, kind in limits
        if (shape, limit, None) in graph
    ]


def conforms(graph: rdflib.Graph, shape: Node | None, var: str) -> str:
    """A graph pattern that matches when ``var`` conforms to a small nested shape."""
    parts = []
    for parameter, value in graph.predicate_objects(shape):
        if parameter == SH.languageIn:
            parts.append(f"FILTER ({language_test(graph, value, var)})")
        elif parameter == SH["class"]:
            parts.append(f"{var} {TYPE_OF} {value.n3()} .")
        elif parameter == SH.property:
            parts.append(required_property(graph, value, var))
        else:
            raise NotCompiled(f"nested {parameter}")
    return " ".join(parts)


def required_property(graph: rdflib.Graph, shape: Node, var: str) -> str:
    """``[ sh:path P ; sh:minCount 1 ]`` or ``[ sh:path P ; sh:hasValue X ]``."""
    path = graph.value(shape, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise NotCompiled("nested path")
    rest = [(p, o) for p, o in graph.predicate_objects(shape) if p != SH.path]
    if rest == [(SH.minCount, rdflib.Literal(1))]:
        return f"{var} {path.n3()} [] ."
    if len(rest) == 1 and rest[0][0] == SH.hasValue:
        return f"{var} {path.n3()} {rest[0][1].n3()} ."
    raise NotCompiled(f"nested property {rest}")


COMPILERS: dict[Node, Compiler] = {
    SH.minCount: min_count,
    SH.maxCount: max_count,
    SH.datatype: datatype,
    SH.minInclusive: range_check(">=", SH.minInclusive, "MinInclusiveConstraintComponent"),
    SH.maxInclusive: range_check("<=", SH.maxInclusive, "MaxInclusiveConstraintComponent"),
    SH.minExclusive: range_check(">", SH.minExclusive, "MinExclusiveConstraintComponent"),
    SH.maxExclusive: range_check("<", SH.maxExclusive, "MaxExclusiveConstraintComponent"),
    SH.pattern: pattern,
    SH.languageIn: language_in,
    SH["class"]: class_of,
    SH.node: node,
    SH.lessThanOrEquals: less_than_or_equals,
    SH.qualifiedValueShape: qualified,
}
