"""The ontology's terms as read from ``graph/ontology``: kinds, labels, definitions, relations."""

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.namespaces import PREFIXES, TP
from kgservice.store import Store

OWL, RDFS, SKOS, RDF = PREFIXES["owl"], PREFIXES["rdfs"], PREFIXES["skos"], PREFIXES["rdf"]

TERMS = """
SELECT ?g ?t ?p ?o ?oLabel WHERE {
  GRAPH ?g { ?t ?p ?o }
  FILTER(STRSTARTS(STR(?t), STR(tp:)))
  OPTIONAL { GRAPH ?g { ?o rdfs:label ?oLabel } }
}
"""

SECTIONS = (
    ("classes", OWL + "Class"),
    ("object_properties", OWL + "ObjectProperty"),
    ("datatype_properties", OWL + "DatatypeProperty"),
    ("concept_schemes", SKOS + "ConceptScheme"),
)
RELATIONS = {
    RDFS + "subClassOf": "subclass_of",
    RDFS + "subPropertyOf": "subclass_of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    SKOS + "inScheme": "in_scheme",
}


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str


@dataclass
class Term:
    iri: str
    kinds: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    relations: dict[str, list[Ref]] = field(default_factory=lambda: defaultdict(list))
    concepts: list["Term"] = field(default_factory=list)

    @property
    def local_name(self) -> str:
        return self.iri[len(TP) :]


def ontology_sections(store: Store, graph: str, lang: str) -> dict[str, list[Term]]:
    """Classes, object properties, datatype properties and code lists with their concepts."""
    terms = _terms(store, graph, lang)
    sections: dict[str, list[Term]] = {key: [] for key, _ in SECTIONS}
    for term in sorted(terms.values(), key=lambda t: t.local_name):
        for key, kind in SECTIONS:
            if kind in term.kinds:
                sections[key].append(term)
    for scheme in sections["concept_schemes"]:
        scheme.concepts = [
            t
            for t in sorted(terms.values(), key=lambda t: t.local_name)
            if any(r.iri == scheme.iri for r in t.relations.get("in_scheme", []))
        ]
    return sections


def _terms(store: Store, graph: str, lang: str) -> dict[str, Term]:
    rows = select(store, TERMS, g=ox.NamedNode(graph))
    labels = LabelIndex()
    labels.add_rows(rows, "o", "oLabel")
    terms: dict[str, Term] = {}
    for r in rows:
        term = terms.setdefault(r["t"].value, Term(r["t"].value))
        _read(term, r["p"].value, r["o"], labels, lang)
    return terms


def _read(
    term: Term, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal, labels: LabelIndex, lang: str
) -> None:
    if p == RDF + "type":
        term.kinds.add(o.value)
    elif p == RDFS + "label" and isinstance(o, ox.Literal):
        term.labels.setdefault(o.language or "", o.value)
    elif p == SKOS + "definition" and isinstance(o, ox.Literal):
        term.definitions.setdefault(o.language or "", o.value)
    elif p in RELATIONS and isinstance(o, ox.NamedNode):
        ref = Ref(o.value, labels.get(o.value, lang))
        if ref not in term.relations[RELATIONS[p]]:
            term.relations[RELATIONS[p]].append(ref)
