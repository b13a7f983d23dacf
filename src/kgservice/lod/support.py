"""What supports a plan element, directly or through other elements: the tree under a strategy.

Children of a node are the elements that support it (``tp:supports``) or are part of it
(``tp:partOf``); each carries its plan's level, its owner and its budget per fiscal year.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex, natural
from kgservice.lod.sparql import select
from kgservice.namespaces import TP
from kgservice.store import Store

MAX_ELEMENTS = 3000

EDGES = """
SELECT ?s ?el ?parent WHERE {
  ?el (tp:supports|tp:partOf)+ ?s .
  VALUES ?rel { tp:supports tp:partOf }
  ?el ?rel ?parent .
  FILTER(?parent = ?s || EXISTS { ?parent (tp:supports|tp:partOf)+ ?s })
} LIMIT 10000
"""

NODES = """
SELECT ?s ?el ?label ?type ?level ?levelLabel ?rank ?owner ?ownerLabel WHERE {
  ?el (tp:supports|tp:partOf)+ ?s .
  OPTIONAL { ?el rdfs:label ?label }
  OPTIONAL { ?el a ?type }
  OPTIONAL { ?el tp:partOf* ?plan . ?plan tp:level ?level .
             OPTIONAL { ?level tp:rank ?rank } OPTIONAL { ?level rdfs:label ?levelLabel } }
  OPTIONAL { ?el tp:partOf* ?owned . ?owned tp:ownedBy ?owner .
             OPTIONAL { ?owner rdfs:label ?ownerLabel } }
}
"""

BUDGETS = """
SELECT ?s ?el ?fy (SUM(?amount) AS ?total) WHERE {
  ?el (tp:supports|tp:partOf)+ ?s .
  ?el tp:budget ?b . ?b tp:fiscalYear ?fy ; tp:amount ?amount .
} GROUP BY ?s ?el ?fy
"""


@dataclass
class Node:
    iri: str
    label: str = ""
    kind: str = ""  # local name of its tp: type: Strategy, Programme, Project, ...
    level: str = ""
    level_label: str = ""
    rank: int = 99
    owner: str = ""
    owner_label: str = ""
    budget: dict[int, float] = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)

    @property
    def is_project(self) -> bool:
        return self.kind in ("Project", "Activity")


@dataclass
class SupportTree:
    root: Node
    nodes: dict[str, Node]
    parents: dict[str, list[str]]

    def budget_per_year(self) -> dict[int, float]:
        totals: dict[int, float] = defaultdict(float)
        for node in self.nodes.values():
            for year, amount in node.budget.items():
                totals[year] += amount
        return dict(sorted(totals.items()))

    @property
    def project_count(self) -> int:
        return sum(1 for n in self.nodes.values() if n.is_project)


def support_tree(store: Store, iri: str, label: str, lang: str) -> SupportTree:
    s = ox.NamedNode(iri)
    root = Node(iri, label)
    nodes = _nodes(store, s, lang)
    parents: dict[str, list[str]] = defaultdict(list)
    for row in select(store, EDGES, s=s):
        el, parent = row["el"].value, row["parent"].value
        if el in nodes and parent not in parents[el]:
            parents[el].append(parent)
    for row in select(store, BUDGETS, s=s):
        nodes[row["el"].value].budget[int(row["fy"].value)] = float(row["total"].value)
    _attach(root, nodes, parents)
    return SupportTree(root, nodes, dict(parents))


def _nodes(store: Store, s: ox.NamedNode, lang: str) -> dict[str, Node]:
    rows = select(store, NODES, s=s)
    labels = LabelIndex()
    labels.add_rows(rows, "el", "label")
    labels.add_rows(rows, "owner", "ownerLabel")
    labels.add_rows(rows, "level", "levelLabel")
    nodes: dict[str, Node] = {}
    for row in rows:
        node = nodes.setdefault(row["el"].value, Node(row["el"].value))
        if len(nodes) > MAX_ELEMENTS:
            break
        _fill(node, row, labels, lang)
    return nodes


def _fill(
    node: Node,
    row: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode],
    labels: LabelIndex,
    lang: str,
) -> None:
    node.label = labels.get(node.iri, lang)
    kind = row.get("type")
    if kind is not None and kind.value.startswith(TP):
        node.kind = kind.value[len(TP) :]
    if "level" in row:
        node.level = row["level"].value
        node.level_label = labels.get(node.level, lang)
        node.rank = int(row["rank"].value) if "rank" in row else node.rank
    if "owner" in row:
        node.owner = row["owner"].value
        node.owner_label = labels.get(node.owner, lang)


def _attach(root: Node, nodes: dict[str, Node], parents: dict[str, list[str]]) -> None:
    children: dict[str, list[Node]] = defaultdict(list)
    for el, ps in parents.items():
        for p in ps:
            children[p].append(nodes[el])
    seen: set[str] = set()

    def visit(node: Node) -> None:
        seen.add(node.iri)
        node.children = sorted(
            (c for c in children.get(node.iri, []) if c.iri not in seen),
            key=lambda c: (c.rank, natural(c.owner_label), natural(c.label)),
        )
        for child in node.children:
            visit(child)

    visit(root)
