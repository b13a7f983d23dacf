"""The SHACL rules as read from ``graph/shapes``: one entry per ``tps:`` shape."""

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.namespaces import PREFIXES, TPS
from kgservice.store import Store

SH = PREFIXES["sh"]
FIELDS = {
    PREFIXES["rdfs"] + "label": "label",
    SH + "message": "message",
    SH + "description": "description",
    SH + "severity": "severity",
    SH + "targetClass": "targetClass",
}

RULES = """
SELECT ?g ?shape ?p ?o ?oLabel WHERE {
  GRAPH ?g {
    ?shape ?p ?o .
    VALUES ?p { rdfs:label sh:severity sh:message sh:description sh:targetClass }
  }
  FILTER(STRSTARTS(STR(?shape), STR(tps:)))
  OPTIONAL { ?o rdfs:label ?oLabel }
}
"""


@dataclass
class Rule:
    iri: str
    labels: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    severity: str = "Violation"
    targets: list[tuple[str, str]] = field(default_factory=list)

    @property
    def local_name(self) -> str:
        return self.iri[len(TPS) :]


def rules(store: Store, graph: str, lang: str) -> list[Rule]:
    rows = select(store, RULES, g=ox.NamedNode(graph))
    labels = LabelIndex()
    labels.add_rows(rows, "o", "oLabel")
    found: dict[str, Rule] = {}
    for r in rows:
        rule = found.setdefault(r["shape"].value, Rule(r["shape"].value))
        _read(rule, FIELDS.get(r["p"].value, ""), r["o"], labels, lang)
    return sorted(found.values(), key=lambda rule: rule.local_name)


def _read(
    rule: Rule,
    name: str,
    o: ox.NamedNode | ox.BlankNode | ox.Literal,
    labels: LabelIndex,
    lang: str,
) -> None:
    texts = {"label": rule.labels, "message": rule.messages, "description": rule.descriptions}
    if name in texts and isinstance(o, ox.Literal):
        texts[name].setdefault(o.language or "", o.value)
    elif name == "severity":
        rule.severity = o.value[len(SH) :]
    elif name == "targetClass" and isinstance(o, ox.NamedNode):
        target = (o.value, labels.get(o.value, lang))
        if target not in rule.targets:
            rule.targets.append(target)
