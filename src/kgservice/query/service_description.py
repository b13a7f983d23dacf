"""The SPARQL service description (https://www.w3.org/TR/sparql11-service-description/)."""

import pyoxigraph as ox

from kgservice.store import Store

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def describe(endpoint: str, store: Store, *, federated: bool) -> list[ox.Triple]:
    """The description of the endpoint at ``endpoint``, with the named graphs it holds."""
    service = ox.BlankNode()
    triples = [
        _t(service, RDF_TYPE, _sd("Service")),
        _t(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        _t(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        _t(service, _sd("supportedLanguage"), _sd("SPARQL11Update")),
        _t(service, _sd("feature"), _sd("UnionDefaultGraph")),
        _t(
            service,
            _sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
    ]
    if federated:
        triples.append(_t(service, _sd("feature"), _sd("BasicFederatedQuery")))
    triples += [_t(service, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    return triples + _dataset(service, store)


def _dataset(service: ox.BlankNode, store: Store) -> list[ox.Triple]:
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples = [
        _t(service, _sd("defaultDataset"), dataset),
        _t(dataset, RDF_TYPE, _sd("Dataset")),
        _t(dataset, _sd("defaultGraph"), default),
        _t(default, RDF_TYPE, _sd("Graph")),
    ]
    for graph in store.graph_names():
        named = ox.BlankNode()
        triples += [
            _t(dataset, _sd("namedGraph"), named),
            _t(named, RDF_TYPE, _sd("NamedGraph")),
            _t(named, _sd("name"), graph),
        ]
    return triples


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _t(
    s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode, o: ox.NamedNode | ox.BlankNode
) -> ox.Triple:
    return ox.Triple(s, p, o)
