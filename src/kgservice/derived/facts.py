"""The asserted facts the derived data is computed from, read with simple index scans.

For every graph (``graphs=None``) each kind of fact is one scan over the whole store. For some
graphs the elements, budgets and indicators are read from those graphs only, and the links upward
(``tp:partOf``, ``tp:supports``, linkages) breadth-first from their elements, so a write to one
local government's graph reads that graph and the few plans above it.

Before a write commits, its graphs' facts are read from their new content (``Replacement``) and
every other graph's from the store, so that the derived data can be committed with the write.
Each query therefore matches within one graph (``GRAPH ?g``), and what joins graphs (a plan's
level and that level's rank, an organisation's area and the province it lies in) is joined here.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from sys import intern

import pyoxigraph as ox

from kgservice import sparql_values
from kgservice.namespaces import PREFIXES, TP
from kgservice.store import Store
from kgservice.store.embedded import EmbeddedStore

_PREFIXES = f"PREFIX tp: <{TP}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n"
_BATCH = 5000
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
READ = frozenset(
    [_RDF + "type", _RDFS + "label"]
    + [
        TP + name
        for name in (
            "partOf supports linkageSource linkageTarget level rank startFiscalYear "
            "endFiscalYear ownedBy budget fiscalYear amount indicator targetValue unit "
            "jurisdiction coversArea withinArea"
        ).split()
    ]
)
"""The predicates the facts are read from."""


class Replacement:
    """Graphs a write is about to replace, with the content they will have: their facts come
    from that content (the triples with a predicate in ``READ``, in a small store of their
    own), every other graph's from the store."""

    def __init__(self, graphs: Mapping[str, Iterable[ox.Triple]]) -> None:
        self.graphs = sorted(graphs)
        self.store = EmbeddedStore.scratch(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
            for name, triples in graphs.items()
            for t in triples
            if t.predicate.value in READ
        )

    def keep(self) -> str:
        """A filter that keeps ``?g`` to the graphs the write leaves as they are."""
        graphs = ", ".join(str(ox.NamedNode(g)) for g in self.graphs)
        return f"FILTER(?g NOT IN ({graphs}))"


@dataclass
class GraphFacts:
    source_of: dict[str, str] = field(default_factory=dict)  # element -> its graph
    parents: dict[str, list[str]] = field(default_factory=dict)  # tp:partOf
    supports: dict[str, list[str]] = field(default_factory=dict)  # tp:supports and linkages
    level: dict[str, str] = field(default_factory=dict)  # plan -> level concept
    rank: dict[str, int] = field(default_factory=dict)  # plan -> its level's rank
    period: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)  # plan -> organisation
    plan_graph: dict[str, str] = field(default_factory=dict)  # plan -> the graph stating its level
    strategies: set[str] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)  # project -> Thai title
    budgets: dict[str, list[tuple[str, int, Decimal]]] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # element or plan -> tp:coversArea
    jurisdiction: dict[str, str] = field(default_factory=dict)  # organisation -> area
    within: dict[str, list[str]] = field(default_factory=dict)  # area -> larger areas
    districts: set[str] = field(default_factory=set)
    incomplete_indicators: list[tuple[str, str, str]] = field(default_factory=list)
    provinces: list[tuple[str, str, str]] = field(default_factory=list)
    hierarchy_reader: Callable[[set[str]], tuple[list[tuple[str, str]], set[str]]] | None = None
    """For facts of a few graphs (those of every graph hold the whole hierarchy): what the store
    says of some areas, the larger area each lies within and which of them are districts."""
    _known_areas: set[str] = field(default_factory=set)
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

    def place_organisations(
        self, jurisdictions: Iterable[tuple[str, str, str]], provinces: set[str]
    ) -> None:
        """Fill ``provinces``: each organisation in the province its ``tp:jurisdiction`` lies in
        (``jurisdictions``: graph, organisation, area), or, where it states none, the province of
        the area its own plans cover, in the graph of each plan (the contract's rule: a local
        government may give its area only through its plan)."""
        found: dict[tuple[str, str, str], None] = {}
        for graph, organisation, area in jurisdictions:
            for province in self.enclosing(area) & provinces:
                found[(graph, organisation, province)] = None
        for plan, organisation in self.owner.items():
            covered, source = self.areas.get(plan), self.plan_graph.get(plan)
            if organisation in self.jurisdiction or covered is None or source is None:
                continue
            for province in self.enclosing(covered) & provinces:
                found[(source, organisation, province)] = None
        self.provinces.extend(sorted(found))

    def learn_areas(self, areas: Iterable[str]) -> None:
        """Make the hierarchy above ``areas`` known to ``enclosing`` and ``district_of``."""
        frontier = set(areas) - self._known_areas
        while frontier and self.hierarchy_reader is not None:
            self._known_areas |= frontier
            within, districts = self.hierarchy_reader(frontier)
            for area, larger in within:
                self.within.setdefault(area, []).append(larger)
            self.districts |= districts
            frontier = {larger for _, larger in within} - self._known_areas

    def enclosing(self, area: str) -> set[str]:
        """The area and every area it lies within."""
        return self._closure(area, self.within)

    def district_of(self, area: str) -> str | None:
        """The district an area is or lies within, if any."""
        return min(self.enclosing(area) & self.districts, default=None)

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


@dataclass(frozen=True)
class Within:
    """Some elements and indicators of the graphs read, the only ones whose facts are read
    (``kgservice.derived.edits``); the organisations' provinces are not read."""

    elements: frozenset[str]
    indicators: frozenset[str]


def read_facts(
    store: Store,
    graphs: Sequence[str] | None,
    *,
    replacement: Replacement | None = None,
    within: Within | None = None,
) -> GraphFacts:
    """The facts of ``graphs`` (every graph when None), as they are in the store or, with a
    ``replacement``, as they will be once it is committed; with ``within``, only of those
    elements and indicators of ``graphs``."""
    reader = _Reader(store, graphs, replacement, within)
    facts = GraphFacts()
    reader.read_elements(facts)
    reader.read_links(facts)
    reader.read_nodes(facts)
    reader.read_budgets(facts)
    reader.read_indicators(facts)
    reader.read_areas(facts)
    if within is None:
        reader.read_provinces(facts)
    return facts


class _Reader:
    def __init__(
        self,
        store: Store,
        graphs: Sequence[str] | None,
        replacement: Replacement | None,
        within: Within | None = None,
    ) -> None:
        self.store = store
        self.graphs = graphs
        self.replacement = replacement
        self.within = within

    def select(
        self, body: str, values: str = "", **bound: ox.NamedNode
    ) -> Iterator[ox.QuerySolution]:
        """``body`` on the store, and on the replaced graphs' new content if there are any."""
        text = _PREFIXES + body.replace("#VALUES", values)
        if self.replacement is None:
            yield from self._run(self.store, text.replace("#KEEP", ""), bound)
            return
        yield from self._run(self.store, text.replace("#KEEP", self.replacement.keep()), bound)
        yield from self._run(self.replacement.store, text.replace("#KEEP", ""), bound)

    @staticmethod
    def _run(store: Store, text: str, bound: dict[str, ox.NamedNode]) -> Iterator[ox.QuerySolution]:
        return iter(store.query(text, bindings=bound or None))  # type: ignore[arg-type]

    def in_graphs(
        self, body: str, nodes: frozenset[str] | None = None
    ) -> Iterator[ox.QuerySolution]:
        """``body`` over every graph, or graph by graph (``?g`` bound: the graph's own index);
        with ``nodes``, only for those (``?n``)."""
        if self.graphs is None:
            yield from self.select(body)
            return
        for graph in self.graphs:
            if nodes is None:
                yield from self.select(body, g=ox.NamedNode(graph))
                continue
            ordered = sorted(nodes)
            for i in range(0, len(ordered), _BATCH):
                values = sparql_values.iris("n", ordered[i : i + _BATCH])
                yield from self.select(body, values, g=ox.NamedNode(graph))

    def for_nodes(self, body: str, nodes: Iterable[str]) -> Iterator[ox.QuerySolution]:
        """``body`` for every node (all of them, when reading every graph)."""
        if self.graphs is None:
            yield from self.select(body)
            return
        ordered = sorted(nodes)
        for i in range(0, len(ordered), _BATCH):
            # the VALUES go inside GRAPH ?g { }: Oxigraph evaluates an OPTIONAL or a UNION
            # there for every graph of the store before it joins a VALUES block outside
            yield from self.select(body, sparql_values.iris("n", ordered[i : i + _BATCH]))

    def read_elements(self, facts: GraphFacts) -> None:
        """Each element once, in the first (by IRI) of the graphs that hold it, so that an
        element two graphs hold is counted once; an element that a graph not read here comes
        first for is that graph's to derive."""
        elements = None if self.within is None else self.within.elements
        for row in self.in_graphs(_ELEMENTS, elements):
            _hold(facts.source_of, _name(row["n"]), _name(row["g"]))
        if self.graphs is not None:
            first = dict(facts.source_of)
            for row in self.for_nodes(_ELEMENTS, first):
                _hold(first, _name(row["n"]), _name(row["g"]))
            for element, graph in first.items():
                if graph != facts.source_of[element]:
                    del facts.source_of[element]

    def read_links(self, facts: GraphFacts) -> None:
        frontier = set(facts.source_of)
        seen: set[str] = set()
        while frontier:
            seen |= frontier
            found: set[str] = set()
            for row in self.for_nodes(_LINKS, frontier):
                source, target = _name(row["n"]), _name(row["o"])
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
        ranks = {row["level"].value: int(row["rank"].value) for row in self.select(_RANKS)}
        for row in self.for_nodes(_PLANS, nodes):
            plan, level = row["n"].value, row["level"].value
            if level not in ranks:
                continue
            facts.level[plan], facts.rank[plan] = level, ranks[level]
            facts.plan_graph[plan] = _name(row["g"])
            facts.period[plan] = (_int(row["start"]), _int(row["end"]))
            if row["owner"] is not None:
                facts.owner[plan] = row["owner"].value
        for row in self.for_nodes(_KINDS, nodes):
            if row["kind"].value == TP + "Strategy":
                facts.strategies.add(row["n"].value)
            elif row["title"] is not None:
                facts.titles[row["n"].value] = row["title"].value

    def read_budgets(self, facts: GraphFacts) -> None:
        elements = None if self.within is None else self.within.elements
        for row in self.in_graphs(_BUDGETS, elements):
            amount = Decimal(row["amount"].value) if row["amount"] is not None else Decimal(0)
            allocation = (row["b"].value, int(row["fy"].value), amount)
            found = facts.budgets.setdefault(_name(row["n"]), [])
            if allocation not in found:  # held in two graphs, it is still one allocation
                found.append(allocation)

    def read_indicators(self, facts: GraphFacts) -> None:
        indicators = None if self.within is None else self.within.indicators
        for row in self.in_graphs(_INDICATORS, indicators):
            for prop in ("targetValue", "unit"):
                if row[prop] is None:
                    facts.incomplete_indicators.append((_name(row["g"]), _name(row["n"]), prop))

    def read_provinces(self, facts: GraphFacts) -> None:
        """The provinces of the organisations with a jurisdiction or a plan in the graphs (after
        ``read_areas``)."""
        provinces = {row["p"].value for row in self.select(_PROVINCES)}
        jurisdictions = [
            (row["g"].value, row["org"].value, row["area"].value)
            for row in self.in_graphs(_JURISDICTIONS)
        ]
        facts.learn_areas(area for _, _, area in jurisdictions)
        facts.place_organisations(jurisdictions, provinces)
        if self.graphs is not None:  # plans read from beyond the graphs belong to their own
            kept = set(self.graphs)
            facts.provinces[:] = [p for p in facts.provinces if p[0] in kept]

    def read_areas(self, facts: GraphFacts) -> None:
        """Areas the elements and plans cover, their owners' jurisdictions and, reading every
        graph, the whole hierarchy of areas; reading a few graphs, only the part of it above
        those areas, and more as ``learn_areas`` asks (the national hierarchy is thousands of
        areas, a write's are a few)."""
        nodes = set(facts.source_of) | set(facts.rank)
        for row in self.for_nodes(_COVERS, nodes):
            facts.areas[row["n"].value] = row["a"].value
        for row in self.for_nodes(_JURISDICTIONS_OF, set(facts.owner.values())):
            facts.jurisdiction[row["n"].value] = row["area"].value
        if self.graphs is None:
            for row in self.select(_WITHIN):
                facts.within.setdefault(row["a"].value, []).append(row["b"].value)
            facts.districts = {row["d"].value for row in self.select(_DISTRICTS)}
            return
        facts.hierarchy_reader = self.read_hierarchy
        facts.learn_areas([*facts.areas.values(), *facts.jurisdiction.values()])

    def read_hierarchy(self, areas: set[str]) -> tuple[list[tuple[str, str]], set[str]]:
        """The areas ``areas`` lie within, and which of ``areas`` are districts."""
        within = [(row["n"].value, row["b"].value) for row in self.for_nodes(_WITHIN_OF, areas)]
        return within, {row["n"].value for row in self.for_nodes(_DISTRICTS_OF, areas)}


def _name(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A node's IRI (or label), one string however many rows name it: a country's elements are
    keys of several of the facts' maps, and their graphs are named by every row."""
    return intern(term.value)


def _hold(source_of: dict[str, str], element: str, graph: str) -> None:
    if element not in source_of or graph < source_of[element]:
        source_of[element] = graph


def _int(term: ox.NamedNode | ox.Literal | None) -> int | None:
    return int(term.value) if term is not None else None


_ELEMENTS = "SELECT ?g ?n WHERE { GRAPH ?g { #VALUES ?n tp:partOf ?x } #KEEP }"

_LINKS = """SELECT ?n ?link ?o WHERE { GRAPH ?g {
  { #VALUES ?n tp:partOf ?o BIND("partOf" AS ?link) }
  UNION { #VALUES ?n tp:supports ?o BIND("supports" AS ?link) }
  UNION { #VALUES ?l tp:linkageSource ?n ; tp:linkageTarget ?o BIND("supports" AS ?link) }
} #KEEP }"""

_PLANS = """SELECT ?g ?n ?level ?start ?end ?owner WHERE { GRAPH ?g { #VALUES
  ?n tp:level ?level .
  OPTIONAL { ?n tp:startFiscalYear ?start } OPTIONAL { ?n tp:endFiscalYear ?end }
  OPTIONAL { ?n tp:ownedBy ?owner }
} #KEEP }"""

_RANKS = "SELECT ?level ?rank WHERE { GRAPH ?g { ?level tp:rank ?rank } #KEEP }"

_KINDS = """SELECT ?n ?kind ?title WHERE {
  GRAPH ?g { #VALUES ?n a ?kind . FILTER(?kind IN (tp:Project, tp:Strategy))
    OPTIONAL { ?n rdfs:label ?title FILTER(lang(?title) = "th") } } #KEEP
}"""

_BUDGETS = """SELECT ?g ?n ?b ?fy ?amount WHERE {
  GRAPH ?g { #VALUES ?n tp:budget ?b . ?b tp:fiscalYear ?fy OPTIONAL { ?b tp:amount ?amount } }
  #KEEP
}"""

_INDICATORS = """SELECT ?g ?n ?targetValue ?unit WHERE {
  GRAPH ?g { #VALUES ?e tp:indicator ?n .
    OPTIONAL { ?n tp:targetValue ?targetValue } OPTIONAL { ?n tp:unit ?unit } } #KEEP
}"""

_COVERS = "SELECT ?n ?a WHERE { GRAPH ?g { #VALUES ?n tp:coversArea ?a } #KEEP }"

_JURISDICTIONS = "SELECT ?g ?org ?area WHERE { GRAPH ?g { ?org tp:jurisdiction ?area } #KEEP }"

_JURISDICTIONS_OF = "SELECT ?n ?area WHERE { GRAPH ?g { #VALUES ?n tp:jurisdiction ?area } #KEEP }"

_WITHIN = "SELECT ?a ?b WHERE { GRAPH ?g { ?a tp:withinArea ?b } #KEEP }"

_WITHIN_OF = "SELECT ?n ?b WHERE { GRAPH ?g { #VALUES ?n tp:withinArea ?b } #KEEP }"

_DISTRICTS_OF = "SELECT DISTINCT ?n WHERE { GRAPH ?g { #VALUES ?n a tp:District } #KEEP }"

_PROVINCES = "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a tp:Province } #KEEP }"

_DISTRICTS = "SELECT DISTINCT ?d WHERE { GRAPH ?g { ?d a tp:District } #KEEP }"
