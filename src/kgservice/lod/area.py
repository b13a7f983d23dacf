"""An area's page: the plans that cover it or an area it lies within, its parent and its parts."""

from dataclasses import dataclass

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import select
from kgservice.store import Store

COVERING_PLANS = """
SELECT ?s ?plan ?label ?area ?areaLabel ?level ?levelLabel ?rank WHERE {
  ?s tp:withinArea* ?area .
  ?plan tp:coversArea ?area ; tp:level ?level .
  OPTIONAL { ?plan rdfs:label ?label }
  OPTIONAL { ?area rdfs:label ?areaLabel }
  OPTIONAL { ?level rdfs:label ?levelLabel }
  OPTIONAL { ?level tp:rank ?rank }
}
"""

NEIGHBOURS = """
SELECT ?s ?area ?label ?direction WHERE {
  { ?s tp:withinArea ?area . BIND("parent" AS ?direction) }
  UNION
  { ?area tp:withinArea ?s . BIND("child" AS ?direction) }
  OPTIONAL { ?area rdfs:label ?label }
}
"""


@dataclass(frozen=True)
class Linked:
    iri: str
    label: str


@dataclass(frozen=True)
class CoveringPlan:
    plan: Linked
    area: Linked
    level: Linked
    rank: int


@dataclass(frozen=True)
class AreaView:
    plans: list[CoveringPlan]
    parents: list[Linked]
    children: list[Linked]


def area_view(store: Store, iri: str, lang: str) -> AreaView:
    s = ox.NamedNode(iri)
    rows = select(store, COVERING_PLANS, s=s)
    labels = LabelIndex()
    for subject, label in (("plan", "label"), ("area", "areaLabel"), ("level", "levelLabel")):
        labels.add_rows(rows, subject, label)
    plans = {
        r["plan"].value: CoveringPlan(
            Linked(r["plan"].value, labels.get(r["plan"].value, lang)),
            Linked(r["area"].value, labels.get(r["area"].value, lang)),
            Linked(r["level"].value, labels.get(r["level"].value, lang)),
            int(r["rank"].value) if "rank" in r else 99,
        )
        for r in rows
    }
    near = select(store, NEIGHBOURS, s=s)
    near_labels = LabelIndex()
    near_labels.add_rows(near, "area", "label")

    def linked(direction: str) -> list[Linked]:
        iris = sorted({r["area"].value for r in near if r["direction"].value == direction})
        return [Linked(a, near_labels.get(a, lang)) for a in iris]

    return AreaView(
        sorted(plans.values(), key=lambda p: (p.rank, p.plan.label)),
        linked("parent"),
        linked("child"),
    )
