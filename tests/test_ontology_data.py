"""Every term the bundled data uses is declared in the ontology, with the right kind."""

from pathlib import Path
from typing import TypeGuard

import pyoxigraph
import pytest
from ontology_support import data_files, is_declared, ontology_graph
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from kgservice.namespaces import PREFIXES
from kgservice.namespaces import TP as TP_IRI

FIXTURES = Path(__file__).parent / "ontology_fixtures"
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# The vocabularies the data may reuse as they are (CONTRACT.md), besides tp:.
REUSED = tuple(iri for prefix, iri in PREFIXES.items() if prefix not in ("tp", "tps", "sh"))


def triples(path: Path) -> list[pyoxigraph.Triple]:
    with path.open("rb") as stream:
        quads = pyoxigraph.parse(stream, format=pyoxigraph.RdfFormat.TURTLE)
        return [quad.triple for quad in quads]


def is_tp(term: object) -> TypeGuard[pyoxigraph.NamedNode]:
    return isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(TP_IRI)


def predicate_problem(triple: pyoxigraph.Triple) -> str | None:
    predicate = triple.predicate.value
    if not predicate.startswith((TP_IRI, *REUSED)):
        return f"{predicate} is from no vocabulary the project uses"
    literal = isinstance(triple.object, pyoxigraph.Literal)
    kind = OWL.DatatypeProperty if literal else OWL.ObjectProperty
    if is_tp(triple.predicate) and not is_declared(ontology_graph(), URIRef(predicate), kind):
        return f"{predicate} is not a declared {kind.fragment}"
    return None


def object_problem(triple: pyoxigraph.Triple) -> str | None:
    obj = triple.object
    if not is_tp(obj):
        return None
    term = URIRef(obj.value)
    if triple.predicate == RDF_TYPE and not is_declared(ontology_graph(), term, OWL.Class):
        return f"{term} is not a declared class"
    if not is_declared(ontology_graph(), term):
        return f"{term} is not declared"
    return None


def range_problem(triple: pyoxigraph.Triple) -> str | None:
    """A code-list concept given to a property whose range is another code list."""
    obj = triple.object
    if not (is_tp(triple.predicate) and is_tp(obj)):
        return None
    graph = ontology_graph()
    concept = URIRef(obj.value)
    for kind in graph.objects(URIRef(triple.predicate.value), RDFS.range):
        if (concept, RDF.type, SKOS.Concept) in graph and (concept, RDF.type, kind) not in graph:
            return f"{concept} is not a {kind}, the range of {triple.predicate.value}"
    return None


def term_problems(path: Path) -> set[str]:
    """What in a data file the ontology does not declare, or declares as another kind."""
    checks = (predicate_problem, object_problem, range_problem)
    found = {check(triple) for triple in triples(path) for check in checks}
    return {problem for problem in found if problem is not None}


@pytest.mark.parametrize("path", data_files(), ids=lambda path: path.name)
def test_data_file_uses_only_declared_terms(path: Path) -> None:
    assert term_problems(path) == set()


def test_the_check_names_undeclared_and_wrongly_used_terms() -> None:
    assert term_problems(FIXTURES / "undeclared-terms.ttl") == {
        f"{TP_IRI}LocalDevelopmentPlans is not a declared class",
        f"{TP_IRI}ownedby is not a declared ObjectProperty",
        f"{TP_IRI}SubdistrictLevel is not declared",
        f"{TP_IRI}startFiscalYear is not a declared ObjectProperty",
        f"{TP_IRI}LocalTier is not a {TP_IRI}PlanLevel, the range of {TP_IRI}level",
    }
