"""The asserted facts the derived data is computed from, read with simple index scans.

For every graph (``graphs=None``) each kind of fact is one scan over the whole store. For some
graphs the elements, budgets and indicators are read from those graphs only, and the links upward
(``tp:partOf``, ``tp:supports``, linkages) breadth-first from their elements, so a write to one
local government's graph reads that graph and the few plans above it.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES, TP
from kgservice.store import Store

_PREFIXES = f"PREFIX tp: <{TP}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n"
_BATCH = 5000


@dataclass
class GraphFacts:
    source_of: dict[str, str] = field(default_factory=dict)  # element -> its graph
    parents: dict[str, list[str]] = field(default_factory=dict)  # tp:partOf
    supports: dict[str, list[str]] = field(default_factory=dict)  # tp:supports and linkages
    level: dict[str, str] = field(default_factory=dict)  # plan -> level concept
    rank: dict[str, int] = field(default_factory=dict)  # plan -> its level's rank
    period: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)  # plan -> organisation
    strategies: set[str] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)  # project -> Thai title
    budgets: dict[str, list[tuple[str, int, Decimal]]] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # element or plan -> tp:coversArea
    jurisdiction: dict[str, str] = field(default_factory=dict)  # organisation -> area
    within: dict[str, list[str]] = field(default_factory=dict)  # area -> larger areas
    incomplete_indicators: list[tuple[str, str, str]] = field(default_factory=list)
    provinces: list[tuple[str, str, str]] = field(default_factory=list)
    _plans: dict[str, str | None] = field(default_factory=dict)
    _reach: dict[str, set[str]] = field(default_factory=dict)

    def plan_of(self, node: str) -> str | None:
        """The plan a node is part of (itself for a plan), following ``tp:partOf``."""
        if node not in self._plans:
            self._plans[node] = None  # a partOf cycle ends here
            found = node if node in self.rank else None
            for parent in self.parents.get(node, ()) if found is None else ():
                found = found or self.plan_of(parent)
            self._plans[node] = found
        return self._plans[node]

    def reach(self, node: str) -> set[str]:
        """Every element a node contributes to: what it, or anything it is part of, supports,
        what that is part of, and so on upward."""
        if node not in self._reach:
            self._reach[node] = set()  # a support cycle ends here
            found: set[str] = set()
            for part in self._chain(node):
                for target in self.supports.get(part, ()):
                    found |= self._chain(target) | self.reach(target)
            self._reach[node] = {n for n in found if n not in self.rank}
        return self._reach[node]

    def area_of(self, element: str, plan: str, owner: str | None) -> str | None:
        """An element's area: its own, else its plan's, else its owner's jurisdiction."""
        return self.areas.get(element) or self.areas.get(plan) or self.jurisdiction.get(owner or "")

    def enclosing(self, area: str) -> set[str]:
        """The area and every area it lies within."""
        return self._closure(area, self.within)

    def _chain(self, node: str) -> set[str]:
        return self._closure(node, self.parents)

    @staticmethod
    def _closure(node: str, edges: dict[str, list[str]]) -> set[str]:
        """The node and everything it reaches through ``edges``."""
        chain, todo = set(), [node]
        while todo:
            current = todo.pop()
            if current not in chain:
                chain.add(current)
                todo.extend(edges.get(current, ()))
        return chain


def read_facts(store: Store, graphs: Sequence[str] | None) -> GraphFacts:
    reader = _Reader(store, graphs)
    facts = GraphFacts()
    reader.read_elements(facts)
    reader.read_links(facts)
    reader.read_nodes(facts)
    reader.read_budgets(facts)
    reader.read_indicators(facts)
    reader.read_provinces(facts)
    reader.read_areas(facts)
    return facts


class _Reader:
    def __init__(self, store: Store, graphs: Sequence[str] | None) -> None:
        self.store = store
        self.graphs = graphs

    def select(
        self, body: str, values: str = "", **bound: ox.NamedNode
    ) -> Iterator[ox.QuerySolution]:
        text = _PREFIXES + body.replace("#VALUES", values)
        return iter(self.store.query(text, bindings=bound or None))  # type: ignore[arg-type]

    def in_graphs(self, body: str) -> Iterator[ox.QuerySolution]:
        """``body`` over every graph, or graph by graph (``?g`` bound: the graph's own index)."""
        if self.graphs is None:
            yield from self.select(body)
            return
        for graph in self.graphs:
            yield from self.select(body, g=ox.NamedNode(graph))

    def for_nodes(self, body: str, nodes: Iterable[str]) -> Iterator[ox.QuerySolution]:
        """``body`` for every node (all of them, when reading every graph)."""
        if self.graphs is None:
            yield from self.select(body)
            return
        ordered = sorted(nodes)
        for i in range(0, len(ordered), _BATCH):
            yield from self.select(body, _values("n", ordered[i : i + _BATCH]))

    def read_elements(self, facts: GraphFacts) -> None:
        for row in self.in_graphs("SELECT ?g ?n WHERE { GRAPH ?g { ?n tp:partOf ?x } }"):
            facts.source_of.setdefault(row["n"].value, row["g"].value)

    def read_links(self, facts: GraphFacts) -> None:
        frontier = set(facts.source_of)
        seen: set[str] = set()
        while frontier:
            seen |= frontier
            found: set[str] = set()
            for row in self.for_nodes(_LINKS, frontier):
                source, target = row["n"].value, row["o"].value
                kind = facts.parents if row["link"].value == "partOf" else facts.supports
                if target not in kind.setdefault(source, []):
                    kind[source].append(target)
                found.add(target)
            frontier = set() if self.graphs is None else found - seen

    def read_nodes(self, facts: GraphFacts) -> None:
        nodes = set(facts.parents) | set(facts.supports) | set(facts.source_of)
        nodes |= {
            t for targets in [*facts.parents.values(), *facts.supports.values()] for t in targets
        }
        for row in self.for_nodes(_PLANS, nodes):
            plan = row["n"].value
            facts.level[plan], facts.rank[plan] = row["level"].value, int(row["rank"].value)
            facts.period[plan] = (_int(row["start"]), _int(row["end"]))
            if row["owner"] is not None:
                facts.owner[plan] = row["owner"].value
        for row in self.for_nodes(_KINDS, nodes):
            if row["kind"].value == TP + "Strategy":
                facts.strategies.add(row["n"].value)
            elif row["title"] is not None:
                facts.titles[row["n"].value] = row["title"].value

    def read_budgets(self, facts: GraphFacts) -> None:
        for row in self.in_graphs(_BUDGETS):
            amount = Decimal(row["amount"].value) if row["amount"] is not None else Decimal(0)
            allocation = (row["b"].value, int(row["fy"].value), amount)
            facts.budgets.setdefault(row["e"].value, []).append(allocation)

    def read_indicators(self, facts: GraphFacts) -> None:
        for row in self.in_graphs(_INDICATORS):
            for prop in ("targetValue", "unit"):
                if row[prop] is None:
                    facts.incomplete_indicators.append((row["g"].value, row["i"].value, prop))

    def read_provinces(self, facts: GraphFacts) -> None:
        for row in self.in_graphs(_PROVINCES):
            facts.provinces.append((row["g"].value, row["org"].value, row["province"].value))

    def read_areas(self, facts: GraphFacts) -> None:
        nodes = set(facts.source_of) | set(facts.rank)
        for row in self.for_nodes("SELECT ?n ?a WHERE { #VALUES ?n tp:coversArea ?a }", nodes):
            facts.areas[row["n"].value] = row["a"].value
        for row in self.select("SELECT ?o ?a WHERE { ?o tp:jurisdiction ?a }"):
            facts.jurisdiction[row["o"].value] = row["a"].value
        for row in self.select("SELECT ?a ?b WHERE { ?a tp:withinArea ?b }"):
            facts.within.setdefault(row["a"].value, []).append(row["b"].value)


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def _int(term: ox.NamedNode | ox.Literal | None) -> int | None:
    return int(term.value) if term is not None else None


_LINKS = """SELECT ?n ?link ?o WHERE { #VALUES
  { ?n tp:partOf ?o BIND("partOf" AS ?link) }
  UNION { ?n tp:supports ?o BIND("supports" AS ?link) }
  UNION { ?l tp:linkageSource ?n ; tp:linkageTarget ?o BIND("supports" AS ?link) }
}"""

_PLANS = """SELECT ?n ?level ?rank ?start ?end ?owner WHERE { #VALUES
  ?n tp:level ?level . ?level tp:rank ?rank .
  OPTIONAL { ?n tp:startFiscalYear ?start } OPTIONAL { ?n tp:endFiscalYear ?end }
  OPTIONAL { ?n tp:ownedBy ?owner }
}"""

_KINDS = """SELECT ?n ?kind ?title WHERE { #VALUES
  VALUES ?kind { tp:Project tp:Strategy }
  ?n a ?kind .
  OPTIONAL { ?n rdfs:label ?title FILTER(lang(?title) = "th") }
}"""

_BUDGETS = """SELECT ?g ?e ?b ?fy ?amount WHERE {
  GRAPH ?g { ?e tp:budget ?b . ?b tp:fiscalYear ?fy OPTIONAL { ?b tp:amount ?amount } }
}"""

_INDICATORS = """SELECT ?g ?i ?targetValue ?unit WHERE {
  GRAPH ?g { ?e tp:indicator ?i .
    OPTIONAL { ?i tp:targetValue ?targetValue } OPTIONAL { ?i tp:unit ?unit } }
}"""

_PROVINCES = """SELECT DISTINCT ?g ?org ?province WHERE {
  GRAPH ?g { ?org tp:jurisdiction ?area }
  ?area tp:withinArea* ?province . ?province a tp:Province .
}"""
