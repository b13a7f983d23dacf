"""The generic part of a resource's page, built from its description."""

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex, natural
from kgservice.lod.links import Linker
from kgservice.lod.sparql import select
from kgservice.namespaces import PREFIXES
from kgservice.store import Store

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"

TERM_LABELS = """
SELECT ?s ?t ?l WHERE {
  { SELECT DISTINCT ?s ?t WHERE { { ?s ?t ?x } UNION { ?x ?t ?s } UNION { ?s a ?t } } }
  OPTIONAL { ?t rdfs:label ?l }
}
"""


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    lang: str | None = None


@dataclass
class Statement:
    """One property with all its values (outgoing) or all its subjects (incoming)."""

    property_label: str
    property_href: str | None
    values: list[Value] = field(default_factory=list)


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[Value]
    type_iris: set[str]
    outgoing: list[Statement]
    incoming: list[Statement]


def resource_view(
    store: Store, iri: str, description: list[ox.Triple], lang: str, linker: Linker
) -> ResourceView:
    labels = LabelIndex()
    for t in description:
        if t.predicate.value == RDFS_LABEL and isinstance(t.object, ox.Literal):
            labels.add(_iri(t.subject), t.object)
    for row in select(store, TERM_LABELS, s=ox.NamedNode(iri)):
        labels.add(row["t"].value, row.get("l"))
    own = [t for t in description if _iri(t.subject) == iri]
    type_iris = {_iri(t.object) for t in own if t.predicate.value == RDF_TYPE}
    shown = _Shown(labels, lang, linker)
    return ResourceView(
        iri=iri,
        label=labels.get(iri, lang),
        types=[Value(labels.get(c, lang), linker.page(c)) for c in sorted(type_iris)],
        type_iris=type_iris,
        outgoing=shown.statements(
            [(t.predicate.value, t.object) for t in own if t.predicate.value not in OWN_HEADER]
        ),
        incoming=shown.statements(
            [(t.predicate.value, t.subject) for t in description if _iri(t.object) == iri]
        ),
    )


OWN_HEADER = {RDF_TYPE, RDFS_LABEL}  # shown as the page's title and type line


def _iri(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""


class _Shown:
    """Terms as the reader sees them: labels in their language, links to their pages."""

    def __init__(self, labels: LabelIndex, lang: str, linker: Linker) -> None:
        self.labels, self.lang, self.linker = labels, lang, linker

    def statements(
        self, pairs: list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]
    ) -> list[Statement]:
        grouped: dict[str, set[Value]] = defaultdict(set)
        for predicate, term in pairs:
            grouped[predicate].add(self.value(term))
        return [
            Statement(self.labels.get(p, self.lang), self.linker.page(p), sorted(vs, key=self.key))
            for p, vs in sorted(grouped.items(), key=lambda kv: self.labels.get(kv[0], self.lang))
        ]

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Value:
        if isinstance(term, ox.Literal):
            return Value(term.value, lang=term.language)
        if isinstance(term, ox.NamedNode):
            return Value(self.labels.get(term.value, self.lang), self.linker.page(term.value))
        return Value(str(term))

    def key(self, v: Value) -> tuple[bool, str, list[str | int]]:
        """The reader's language first, then by text ("2" before "10")."""
        return (v.lang not in (None, self.lang), v.lang or "", natural(v.text))
