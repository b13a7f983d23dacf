"""What supports a plan element, directly or through other elements: the tree under a strategy.

Children of a node are the elements that support it (``tp:supports``) or are part of it
(``tp:partOf``); each carries its plan's level, its owner and its budget per fiscal year.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.lod.labels import LabelIndex, natural
from kgservice.lod.sparql import Row, select
from kgservice.namespaces import TP
from kgservice.store import Store

# Each query starts from the closure and reaches the rest through nested OPTIONALs: joined
# plainly, or with a group of patterns in one OPTIONAL, the engine would start from every label
# or budget in the store. Plan, level and owner come from the derived data (tp:inPlan,
# tp:owningOrganisation).
CLOSURE = "#CLOSURE#"  # replaced by one of:
EVERYTHING = "?el (tp:supports|tp:partOf)+ ?s ."
DIRECT = "?el tp:supports|tp:partOf ?s ."
# Beyond this many supporting elements (a national strategy) the tree shows the direct ones only.
MAX_ELEMENTS = 6000
COUNT = f"SELECT ?s ?el WHERE {{ {EVERYTHING} }} LIMIT {MAX_ELEMENTS + 1}"

EDGES = f"""
SELECT ?s ?el ?up ?whole WHERE {{
  {CLOSURE}
  OPTIONAL {{ ?el tp:supports ?up }}
  OPTIONAL {{ ?el tp:partOf ?whole }}
}}
"""

NODES = f"""
SELECT ?s ?el ?type ?level ?rank ?owner WHERE {{
  {CLOSURE}
  OPTIONAL {{ ?el a ?type }}
  OPTIONAL {{ ?el tp:inPlan ?plan OPTIONAL {{ ?plan tp:level ?level
                                    OPTIONAL {{ ?level tp:rank ?rank }} }} }}
  OPTIONAL {{ ?el tp:owningOrganisation ?owner }}
}}
"""

LABELS = [
    f"""SELECT ?s ?x ?label WHERE {{ {CLOSURE}
      BIND(?el AS ?x) OPTIONAL {{ ?el rdfs:label ?label }} }}""",
    f"""SELECT ?s ?x ?label WHERE {{ {CLOSURE}
      OPTIONAL {{ ?el tp:owningOrganisation ?x OPTIONAL {{ ?x rdfs:label ?label }} }} }}""",
    f"""SELECT ?s ?x ?label WHERE {{ {CLOSURE}
      OPTIONAL {{ ?el tp:inPlan ?plan OPTIONAL {{ ?plan tp:level ?x
                                       OPTIONAL {{ ?x rdfs:label ?label }} }} }} }}""",
]

BUDGETS = f"""
SELECT ?s ?el ?b ?fy ?amount WHERE {{
  {CLOSURE}
  OPTIONAL {{ ?el tp:budget ?b
              OPTIONAL {{ ?b tp:fiscalYear ?fy }} OPTIONAL {{ ?b tp:amount ?amount }} }}
}}
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
    direct_only: bool = False

    def budget_per_year(self) -> dict[int, float]:
        totals: dict[int, float] = defaultdict(float)
        for node in self.nodes.values():
            for year, amount in node.budget.items():
                totals[year] += amount
        return dict(sorted(totals.items()))


def support_tree(store: Store, iri: str, label: str, lang: str) -> SupportTree:
    s = ox.NamedNode(iri)
    direct_only = len(select(store, COUNT, s=s)) > MAX_ELEMENTS
    closure = DIRECT if direct_only else EVERYTHING

    def run(query: str) -> list[Row]:
        return select(store, query.replace(CLOSURE, closure), s=s)

    root = Node(iri, label)
    nodes = _nodes(run, lang)
    parents: dict[str, list[str]] = defaultdict(list)
    for row in run(EDGES):
        for parent in (row[k].value for k in ("up", "whole") if k in row):
            if (parent in nodes or parent == iri) and parent not in parents[row["el"].value]:
                parents[row["el"].value].append(parent)
    budgets = [r for r in run(BUDGETS) if "fy" in r and "amount" in r]
    allocations = {(r["el"].value, r["b"].value): r for r in budgets}
    for (el, _), row in sorted(allocations.items()):
        budget = nodes[el].budget
        year = int(row["fy"].value)
        budget[year] = budget.get(year, 0.0) + float(row["amount"].value)
    _attach(root, nodes, parents)
    return SupportTree(root, nodes, dict(parents), direct_only)


def _nodes(run: Callable[[str], list[Row]], lang: str) -> dict[str, Node]:
    rows = run(NODES)
    labels = LabelIndex.of([r for q in LABELS for r in run(q)], ("x", "label"))
    nodes: dict[str, Node] = {}
    for row in rows:
        _fill(nodes.setdefault(row["el"].value, Node(row["el"].value)), row, labels, lang)
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
