"""Every graph's facts for the derivation, gathered from quads as they stream into an empty store.

A first start parses every source anyway; gathering the few predicates the derivation uses on the
way costs far less than reading them back from the store with the queries of ``graphfacts``.
The facts are the same as those queries find: joined within one graph where they use
``GRAPH ?g`` (budgets, indicators, jurisdictions), across all graphs elsewhere.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable
from decimal import Decimal
from sys import intern

import pyoxigraph as ox

from kgservice.derived.facts import GraphFacts
from kgservice.namespaces import PREFIXES, TP

_TP_NAMES = (
    "partOf supports linkageSource linkageTarget level rank startFiscalYear endFiscalYear ownedBy "
    "budget fiscalYear amount indicator targetValue unit jurisdiction withinArea coversArea"
)
PREDICATES = {
    "type": PREFIXES["rdf"] + "type",
    "label": PREFIXES["rdfs"] + "label",
    **{name: TP + name for name in _TP_NAMES.split()},
}
KINDS = {TP + "Project", TP + "Strategy", TP + "Province", TP + "District"}

Row = tuple[str, str, str]  # graph, subject, object
Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Rows = Callable[[str], list[Row]]  # the rows of a predicate, by its name in PREDICATES


class FactGatherer:
    """Keeps the statements the derivation reads; ``facts()`` joins them."""

    def __init__(self) -> None:
        # keyed by the predicate's node: hashing it is cheaper than making its IRI a str
        self.found: dict[ox.NamedNode, list[Row]] = {
            ox.NamedNode(iri): [] for iri in PREDICATES.values()
        }
        self._labels, self._types = self._rows("label"), self._rows("type")

    def add(self, graph: str, subject: Node, predicate: ox.NamedNode, obj: Node) -> None:
        rows = self.found.get(predicate)
        if rows is None or isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
            return
        if rows is self._labels and not (isinstance(obj, ox.Literal) and obj.language == "th"):
            return
        value = obj.value if isinstance(obj, ox.Literal) else intern(obj.value)
        if rows is self._types and value not in KINDS:
            return
        rows.append((graph, intern(subject.value), value))

    def facts(self) -> GraphFacts:
        facts = GraphFacts()
        _links(facts, self._rows)
        _plans(facts, self._rows)
        _kinds(facts, self._rows)
        _budgets(facts, self._rows)
        _indicators(facts, self._rows)
        _areas(facts, self._rows)
        _provinces(facts, self._rows)
        return facts

    def _rows(self, name: str) -> list[Row]:
        return self.found[ox.NamedNode(PREDICATES[name])]


def _links(facts: GraphFacts, rows: Rows) -> None:
    for graph, element, _ in rows("partOf"):
        facts.source_of.setdefault(element, graph)
    for _, node, parent in rows("partOf"):
        _append_new(facts.parents, node, parent)
    for _, node, target in rows("supports"):
        _append_new(facts.supports, node, target)
    targets = _grouped(rows("linkageTarget"), lambda graph, linkage: linkage)
    for _, linkage, node in rows("linkageSource"):
        for target in targets.get(linkage, ()):
            _append_new(facts.supports, node, target)


def _plans(facts: GraphFacts, rows: Rows) -> None:
    ranks = {level: rank for _, level, rank in rows("rank")}
    starts = {plan: year for _, plan, year in rows("startFiscalYear")}
    ends = {plan: year for _, plan, year in rows("endFiscalYear")}
    owners = {plan: owner for _, plan, owner in rows("ownedBy")}
    for graph, plan, level in rows("level"):
        if level in ranks:
            facts.level[plan], facts.rank[plan] = level, int(ranks[level])
            facts.plan_graph[plan] = graph
            facts.period[plan] = (_int(starts.get(plan)), _int(ends.get(plan)))
            if plan in owners:
                facts.owner[plan] = owners[plan]


def _kinds(facts: GraphFacts, rows: Rows) -> None:
    labels = {node: label for _, node, label in rows("label")}
    for _, node, kind in rows("type"):
        if kind == TP + "Strategy":
            facts.strategies.add(node)
        elif kind == TP + "Project" and node in labels:
            facts.titles[node] = labels[node]


def _budgets(facts: GraphFacts, rows: Rows) -> None:
    years = _grouped(rows("fiscalYear"), _in_graph)
    amounts = _grouped(rows("amount"), _in_graph)
    for graph, element, budget in rows("budget"):
        for year in years.get((graph, budget), ()):
            for amount in amounts.get((graph, budget), ["0"]):
                allocation = (budget, int(year), Decimal(amount))
                facts.budgets.setdefault(element, []).append(allocation)


def _indicators(facts: GraphFacts, rows: Rows) -> None:
    stated = {prop: {(g, i) for g, i, _ in rows(prop)} for prop in ("targetValue", "unit")}
    for graph, _, indicator in rows("indicator"):
        for prop, given in stated.items():
            if (graph, indicator) not in given:
                facts.incomplete_indicators.append((graph, indicator, prop))


def _areas(facts: GraphFacts, rows: Rows) -> None:
    for _, node, area in rows("coversArea"):
        facts.areas[node] = area
    for _, organisation, area in rows("jurisdiction"):
        facts.jurisdiction[organisation] = area
    for _, area, larger in rows("withinArea"):
        facts.within.setdefault(area, []).append(larger)
    facts.districts = {node for _, node, kind in rows("type") if kind == TP + "District"}


def _provinces(facts: GraphFacts, rows: Rows) -> None:
    provinces = {node for _, node, kind in rows("type") if kind == TP + "Province"}
    facts.place_organisations(rows("jurisdiction"), provinces)


def _grouped(rows: list[Row], key: Callable[[str, str], Hashable]) -> dict[Hashable, list[str]]:
    """The objects of ``rows`` by ``key(graph, subject)``."""
    grouped: dict[Hashable, list[str]] = defaultdict(list)
    for graph, subject, obj in rows:
        grouped[key(graph, subject)].append(obj)
    return grouped


def _in_graph(graph: str, subject: str) -> tuple[str, str]:
    return graph, subject


def _append_new(edges: dict[str, list[str]], node: str, target: str) -> None:
    targets = edges.setdefault(node, [])
    if target not in targets:
        targets.append(target)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None else None
