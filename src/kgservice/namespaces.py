"""The namespaces fixed by the public contract."""

TP = "https://w3id.org/thaiplan/ontology#"
TPS = "https://w3id.org/thaiplan/shapes#"
DEFAULT_BASE = "https://w3id.org/thaiplan/id/"

PREFIXES = {
    "tp": TP,
    "tps": TPS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
}


REFERENCE_GRAPHS = frozenset({"areas"})
"""Bundled graphs (``data/ttl/NAME.ttl``) that every organisation's plans refer to."""

SERVICE_GRAPHS = frozenset(
    {"ontology", "shapes", "bootstrap", "derived", "provenance", "default", *REFERENCE_GRAPHS}
)
"""Graphs the service keeps for itself or for everyone (``default`` stands for the Graph Store's
default graph). No organisation id names one, since an organisation's token writes
``graph/{id}``; no bundled data file but the reference ones loads into one."""


def graph_iri(base: str, name: str) -> str:
    """The IRI of a named graph, e.g. ``graph/areas`` or ``graph/lao-pao-40``."""
    return f"{base}graph/{name}"


def org_iri(base: str, org_id: str) -> str:
    return f"{base}org/{org_id}"
