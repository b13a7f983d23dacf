"""A resource's description: what it says, the labels of what it links to, and what links to it.

Sub-resources minted under the resource's own IRI (``{project}/budget/2567``,
``{project}/indicator/1``) are described along with it, so one request carries the project's
budgets and indicators.
"""

import hashlib

import pyoxigraph as ox

from kgservice.lod.sparql import construct
from kgservice.store import Store

DESCRIBE = """
CONSTRUCT {
  ?s ?p ?o . ?o rdfs:label ?olabel .
  ?o ?sp ?so .
  ?in ?ip ?s . ?in rdfs:label ?inlabel .
}
WHERE {
  { ?s ?p ?o . OPTIONAL { ?o rdfs:label ?olabel } }
  UNION
  { ?s ?p ?o . ?o ?sp ?so .
    FILTER(isBlank(?o) || STRSTARTS(STR(?o), CONCAT(STR(?s), "/"))) }
  UNION
  { ?in ?ip ?s . OPTIONAL { ?in rdfs:label ?inlabel } }
}
"""


def describe(store: Store, iri: str) -> list[ox.Triple]:
    """The description of ``iri``; empty when the graph does not mention it."""
    return construct(store, DESCRIBE, s=ox.NamedNode(iri))


def fingerprint(triples: list[ox.Triple]) -> str:
    """A hash of the description that does not depend on the order the store returns it in."""
    lines = sorted(str(t) for t in triples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]
