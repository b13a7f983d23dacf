"""A resource's description: what it says, the labels of what it links to, and what links to it.

Statements come from the asserted graphs only. Sub-resources minted under the resource's own
IRI (``{project}/budget/2567``, ``{project}/indicator/1``) are described along with it, so one
request carries the project's budgets and indicators.
"""

import hashlib

import pyoxigraph as ox

from kgservice.lod.sparql import construct
from kgservice.namespaces import graph_iri
from kgservice.store import Store

DESCRIBE = """
CONSTRUCT {
  ?s ?p ?o . ?o rdfs:label ?olabel .
  ?o ?sp ?so .
  ?in ?ip ?s . ?in rdfs:label ?inlabel .
}
WHERE {
  VALUES ?derived { UNDEF }  # in scope, so that it can be bound by a substitution
  { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?derived) OPTIONAL { ?o rdfs:label ?olabel } }
  UNION
  { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?o ?sp ?so }
    FILTER(?g != ?derived && ?h != ?derived)
    FILTER(isBlank(?o) || STRSTARTS(STR(?o), CONCAT(STR(?s), "/"))) }
  UNION
  { GRAPH ?g { ?in ?ip ?s } FILTER(?g != ?derived) OPTIONAL { ?in rdfs:label ?inlabel } }
}
"""


def describe(store: Store, base_iri: str, iri: str) -> list[ox.Triple]:
    """The description of ``iri`` in the asserted graphs (not the derived one, whose closure
    would list every element below a national strategy); empty when they do not mention it."""
    derived = ox.NamedNode(graph_iri(base_iri, "derived"))
    return list(dict.fromkeys(construct(store, DESCRIBE, s=ox.NamedNode(iri), derived=derived)))


def fingerprint(triples: list[ox.Triple]) -> str:
    """A hash of the description that does not depend on the order the store returns it in."""
    lines = sorted(str(t) for t in triples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]
