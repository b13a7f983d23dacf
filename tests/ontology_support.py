"""Loading the ontology and the bundled data for the ontology tests."""

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from kgservice.namespaces import TP as TP_IRI
from kgservice.settings import Settings

TP = Namespace(TP_IRI)
PART_BASE = "https://w3id.org/thaiplan/ontology/"
ONTOLOGY_IRI = URIRef("https://w3id.org/thaiplan/ontology")

TERM_KINDS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
)


def ontology_files() -> list[Path]:
    return sorted(Settings().ontology_dir.glob("*.ttl"))


def data_files() -> list[Path]:
    return sorted(Settings().bundled_data_dir.glob("**/*.ttl"))


@cache
def file_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def ontology_graph() -> Graph:
    merged = Graph()
    for path in ontology_files():
        merged += file_graph(path)
    return merged


def declared_terms(graph: Graph) -> Iterator[URIRef]:
    """The tp: terms a graph declares as a class, property, concept or scheme."""
    for kind in TERM_KINDS:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and term.startswith(TP_IRI):
                yield term


def is_declared(graph: Graph, term: URIRef, *kinds: URIRef) -> bool:
    return any((term, RDF.type, kind) in graph for kind in kinds or TERM_KINDS)
