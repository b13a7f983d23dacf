"""Which sections a resource's page shows, by what the resource is."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgservice.lod.area import area_view
from kgservice.lod.chain import linkage_chain
from kgservice.lod.diagram import Words, layout
from kgservice.lod.element import budgets, indicators
from kgservice.lod.labels import LabelIndex
from kgservice.lod.links import Linker
from kgservice.lod.resource import ResourceView, resource_view
from kgservice.lod.sparql import select
from kgservice.lod.support import support_tree
from kgservice.namespaces import TP
from kgservice.store import Store

AREA_TYPES = {TP + c for c in ("Area", "Province", "District", "Subdistrict", "Village")}
ELEMENT_TYPES = {
    TP + c for c in ("Strategy", "Goal", "Milestone", "Programme", "Project", "Activity")
}
STRATEGY_TYPES = {TP + c for c in ("Strategy", "Goal", "Milestone")}

OWN_LEVEL = """
SELECT ?s ?level ?levelLabel WHERE {
  ?s tp:partOf+ ?plan . ?plan tp:level ?level . OPTIONAL { ?level rdfs:label ?levelLabel }
}
"""


@dataclass(frozen=True)
class PageInputs:
    store: Store
    iri: str
    description: list[ox.Triple]
    lang: str
    linker: Linker
    t: dict[str, str]
    queries_dir: Path


def page_sections(inputs: PageInputs) -> dict[str, Any]:
    view = resource_view(inputs.store, inputs.iri, inputs.description, inputs.lang, inputs.linker)
    sections: dict[str, Any] = {"view": view}
    if view.type_iris & ELEMENT_TYPES:
        sections |= _element_sections(inputs, view)
    if view.type_iris & AREA_TYPES:
        sections["area"] = area_view(inputs.store, inputs.iri, inputs.lang)
    return sections


def _element_sections(inputs: PageInputs, view: ResourceView) -> dict[str, Any]:
    store, iri, lang = inputs.store, inputs.iri, inputs.lang
    sections: dict[str, Any] = {
        "chain": linkage_chain(store, inputs.queries_dir, iri, lang),
        "budgets": budgets(store, iri, lang),
        "indicators": indicators(store, iri, lang),
    }
    if view.type_iris & STRATEGY_TYPES:
        tree = support_tree(store, iri, view.label, lang)
        sections["tree"] = tree
        if tree.nodes:
            words = Words(
                inputs.t["projects_count"],
                inputs.t["elements_count"],
                inputs.t["baht"],
                _kind_words(inputs.t),
                inputs.linker.page,
            )
            sections["diagram"] = layout(tree, words, _own_level(store, iri, lang))
    return sections


def _own_level(store: Store, iri: str, lang: str) -> str:
    rows = select(store, OWN_LEVEL, s=ox.NamedNode(iri))
    labels = LabelIndex()
    labels.add_rows(rows, "level", "levelLabel")
    return labels.get(rows[0]["level"].value, lang) if rows else ""


def _kind_words(t: dict[str, str]) -> dict[str, str]:
    return {key.removeprefix("kind_"): text for key, text in t.items() if key.startswith("kind_")}
