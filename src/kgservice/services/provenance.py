"""Provenance of accepted writes: one ``tp:Submission`` (a ``prov:Activity``) per write, kept in
the named graph ``{base}graph/provenance``."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES, TP, graph_iri
from kgservice.store import union

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
XSD = PREFIXES["xsd"]
PROV = PREFIXES["prov"]


@dataclass(frozen=True)
class Submission:
    """What the provenance graph says about one accepted write."""

    org_iri: str
    operation: str
    graphs: Sequence[str]
    started: datetime
    ended: datetime

    def triples(self, iri: ox.NamedNode) -> Iterable[ox.Triple]:
        yield ox.Triple(iri, RDF_TYPE, ox.NamedNode(TP + "Submission"))
        yield ox.Triple(iri, _prov("wasAssociatedWith"), ox.NamedNode(self.org_iri))
        yield ox.Triple(iri, _prov("startedAtTime"), _instant(self.started))
        yield ox.Triple(iri, _prov("endedAtTime"), _instant(self.ended))
        yield ox.Triple(
            iri, RDFS_LABEL, ox.Literal(f"การนำส่งข้อมูล ({self.operation})", language="th")
        )
        yield ox.Triple(
            iri, RDFS_LABEL, ox.Literal(f"submission ({self.operation})", language="en")
        )
        for graph in self.graphs:
            yield ox.Triple(iri, ox.NamedNode(TP + "targetGraph"), ox.NamedNode(graph))
            yield ox.Triple(iri, _prov("generated"), ox.NamedNode(graph))


def record(base_iri: str, iri: ox.NamedNode, submission: Submission) -> list[str]:
    """The update operations that record ``submission``, to run after its write in the same
    request: its ``tp:tripleCount`` is then what the store holds (which keeps equal literals,
    e.g. 1.0 and 1.00 decimals, once), counted by the store itself."""
    graph = provenance_graph(base_iri)
    said = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in submission.triples(iri))
    targets = " ".join(str(ox.NamedNode(g)) for g in submission.graphs)
    count = ox.NamedNode(TP + "tripleCount")
    counted = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {targets} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    return [union.insert_data(graph, said), union.insert(graph, f"{iri} {count} ?n", counted)]


def provenance_graph(base_iri: str) -> str:
    return graph_iri(base_iri, "provenance")


def submission_iri(base_iri: str, when: datetime) -> ox.NamedNode:
    """A readable, unique IRI: the time of the write plus a random suffix."""
    return ox.NamedNode(f"{base_iri}submission/{when:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}")


def _prov(name: str) -> ox.NamedNode:
    return ox.NamedNode(PROV + name)


def _instant(when: datetime) -> ox.Literal:
    return ox.Literal(when.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
