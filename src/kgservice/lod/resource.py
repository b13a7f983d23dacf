"""The generic part of a resource's page, built from its description."""

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.links import Linker
from kgservice.lod.sparql import select
from kgservice.namespaces import PREFIXES
from kgservice.store import Store

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"

TERM_LABELS = """
SELECT ?s ?t ?l WHERE {
  { ?s ?t ?x } UNION { ?x ?t ?s } UNION { ?s a ?t }
  ?t rdfs:label ?l
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
    property_href: str
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
        if t.predicate.value == RDFS_LABEL:
            labels.add(t.subject.value, t.object)
    for row in select(store, TERM_LABELS, s=ox.NamedNode(iri)):
        labels.add(row["t"].value, row["l"])
    own = [t for t in description if t.subject.value == iri]
    type_iris = {t.object.value for t in own if t.predicate.value == RDF_TYPE}
    return ResourceView(
        iri=iri,
        label=labels.get(iri, lang),
        types=[Value(labels.get(c, lang), linker.page(c)) for c in sorted(type_iris)],
        type_iris=type_iris,
        outgoing=_group(own, lambda t: t.object, labels, lang, linker, skip={RDF_TYPE, RDFS_LABEL}),
        incoming=_group(
            [t for t in description if t.object == ox.NamedNode(iri)],
            lambda t: t.subject,
            labels,
            lang,
            linker,
            skip=set(),
        ),
    )


def _group(triples, other, labels, lang, linker, *, skip):  # type: ignore[no-untyped-def]
    grouped: dict[str, list[Value]] = defaultdict(list)
    for t in triples:
        if t.predicate.value not in skip:
            grouped[t.predicate.value].append(_value(other(t), labels, lang, linker))
    return [
        Statement(labels.get(p, lang), linker.page(p), sorted(set(vals), key=_sort_key))
        for p, vals in sorted(grouped.items(), key=lambda kv: labels.get(kv[0], lang))
    ]


def _value(
    term: ox.NamedNode | ox.BlankNode | ox.Literal, labels: LabelIndex, lang: str, linker: Linker
) -> Value:
    if isinstance(term, ox.Literal):
        return Value(term.value, lang=term.language)
    if isinstance(term, ox.BlankNode):
        return Value("_:" + term.value)
    return Value(labels.get(term.value, lang), linker.page(term.value))


def _sort_key(v: Value) -> tuple[str, str]:
    return (v.lang or "", v.text)
