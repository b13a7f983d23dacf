"""What is derived from some source graphs: read with simple index scans, computed in Python.

Per plan element: its plan (``tp:inPlan``) and that plan's owner (``tp:owningOrganisation``), and
everything it contributes to through ``tp:partOf`` and ``tp:supports`` chains
(``tp:contributesTo``; a ``tp:Linkage`` source/target counts as support); for projects the
normalised title and, for local projects that reach no higher level, the class
``tp:OrphanProject``. Per local owner and higher-level strategy that a local element supports: the
number of supporting projects and their budget per fiscal year (summary nodes). Budget allocations
outside their plan's period, indicators without a target value or unit, plans whose period misses
a plan they support, duplicate candidates (``tp:titleTwin``), each organisation's province.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import pyoxigraph as ox

from kgservice.derived.facts import GraphFacts, Replacement, read_facts
from kgservice.derived.gcpause import gc_paused
from kgservice.derived.rollups import Counts, Sums, province_rollups
from kgservice.derived.titles import normalise_title
from kgservice.namespaces import PREFIXES, TP
from kgservice.store import Store

XSD = PREFIXES["xsd"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
LOCAL_LEVEL = TP + "LocalLevel"


@cache
def tp(name: str) -> ox.NamedNode:
    return ox.NamedNode(TP + name)


@dataclass(slots=True)
class Element:
    graph: str
    plan: str
    rank: int
    local: bool
    owner: str | None
    title_key: str | None
    targets: dict[str, int] = field(default_factory=dict)  # target -> its plan's rank
    strategies: set[str] = field(default_factory=set)  # targets that are strategies
    budgets: list[tuple[str, int, Decimal]] = field(default_factory=list)


Sink = Callable[[set[ox.Triple]], None]
SINK_EVERY = 250_000
"""Derived triples handed to a sink at a time: a whole country's derived data is millions."""


@dataclass
class Partition:
    """Derived triples; with a ``sink``, handed to it every ``SINK_EVERY`` triples and at
    ``flush`` instead of held (a triple may then reach the sink twice). The subjects given
    their ``tp:sourceGraph`` are forgotten with each share too: a country's are a million
    strings, and a subject met again after a share only gets the same triple again."""

    triples: set[ox.Triple] = field(default_factory=set)
    subjects: set[str] = field(default_factory=set)
    sink: Sink | None = None

    def add(self, graph: str, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        """A derived fact, with the graph it comes from (once per subject)."""
        s = ox.NamedNode(subject)
        if subject not in self.subjects:
            self.subjects.add(subject)
            self.put(ox.Triple(s, tp("sourceGraph"), ox.NamedNode(graph)))
        self.put(ox.Triple(s, tp(predicate), obj))

    def put(self, triple: ox.Triple) -> None:
        self.triples.add(triple)
        if self.sink is not None and len(self.triples) >= SINK_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.sink is not None and self.triples:
            self.sink(self.triples)
            self.triples, self.subjects = set(), set()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A project as the duplicate check sees it."""

    project: str
    owner: str
    area: str
    first: int
    last: int


Titles = Callable[[set[str]], dict[str, list[Candidate]]]


def derive(
    store: Store,
    base: str,
    graphs: Sequence[str] | None,
    *,
    outside: Titles,
    facts: GraphFacts | None = None,
    replacement: Replacement | None = None,
    sink: Sink | None = None,
) -> Partition:
    """Derive the partitions of ``graphs`` (every graph when None).

    ``outside(keys)`` gives the projects of other partitions with those normalised titles so that
    title twins across partitions are found. ``facts``: those of ``graphs``, when the caller has
    them already; otherwise they are read from the store, as it will be after ``replacement``.
    ``sink``: takes the derived triples as they are made, a share at a time (``Partition``)."""
    with gc_paused():
        known = read_facts(store, graphs, replacement=replacement) if facts is None else facts
        part = _derive(known, base, outside, whole=graphs is None, sink=sink)
        part.flush()
        return part


def _derive(
    facts: GraphFacts, base: str, outside: Titles, *, whole: bool, sink: Sink | None = None
) -> Partition:
    """``whole``: ``facts`` are those of every graph, and the province roll-ups are added.
    One pass over the elements, keeping of each only what joins elements (the roll-ups'
    figures, the title-twin candidates): a country's elements are not held all at once."""
    part = Partition(sink=sink)
    counts: Counts = defaultdict(int)
    sums: Sums = defaultdict(Decimal)
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    for iri, element in elements(facts):
        element_facts(part, iri, element)
        tally(counts, sums, element)
        allocations(part, element, facts)
        plan_periods(part, iri, element, facts)
        candidate(candidates, iri, element, facts)
    summaries(part, base, counts, sums)
    if whole:
        provinces = {organisation: province for _, organisation, province in facts.provinces}
        for triple in province_rollups(base, counts, sums, provinces):
            part.put(triple)
    for graph, indicator, missing in facts.incomplete_indicators:
        part.add(graph, indicator, "missingProperty", tp(missing))
    for graph, organisation, province in facts.provinces:
        part.add(graph, organisation, "inProvince", _iri(province))
    title_twins(part, candidates, outside, facts)
    return part


def elements(facts: GraphFacts) -> Iterator[tuple[str, Element]]:
    for iri, graph in facts.source_of.items():
        plan = facts.plan_of(iri)
        if plan is None:
            continue
        title = facts.titles.get(iri)
        element = Element(
            graph=graph,
            plan=plan,
            rank=facts.rank[plan],
            local=facts.level[plan] == LOCAL_LEVEL,
            owner=facts.owner.get(plan),
            title_key=normalise_title(title) if title is not None else None,
            budgets=facts.budgets.get(iri, []),
        )
        for target in facts.reach(iri):
            target_plan = facts.plan_of(target)
            if target_plan is not None:
                element.targets[target] = facts.rank[target_plan]
                if target in facts.strategies:
                    element.strategies.add(target)
        yield iri, element


def element_facts(part: Partition, iri: str, element: Element) -> None:
    g = element.graph
    part.add(g, iri, "inPlan", _iri(element.plan))
    if element.owner:
        part.add(g, iri, "owningOrganisation", _iri(element.owner))
    for target in element.targets:
        part.add(g, iri, "contributesTo", _iri(target))
    if element.title_key is not None:
        part.add(g, iri, "normalisedTitle", ox.Literal(element.title_key))
        if element.local and not any(r < element.rank for r in element.targets.values()):
            part.put(ox.Triple(_iri(iri), RDF_TYPE, tp("OrphanProject")))


def tally(counts: Counts, sums: Sums, e: Element) -> None:
    """Per (graph, local owner, strategy) that a local element supports: the number of
    supporting projects (maybe 0) and their budget per year."""
    if e.local and e.owner:
        project = e.title_key is not None
        for strategy in e.strategies:
            counts[(e.graph, e.owner, strategy)] += 1 if project else 0
            for _, year, amount in e.budgets if project else ():
                sums[(e.graph, e.owner, strategy, year)] += amount


def summaries(part: Partition, base: str, counts: Counts, sums: Sums) -> None:
    """The summary nodes of the figures ``tally`` gathered."""
    for key, count in counts.items():
        node = summary(part, base, "support", key)
        part.add(key[0], node, "projectCount", _typed(str(count), "integer"))
    for (g, owner, strategy, year), total in sums.items():
        node = summary(part, base, "budget", (g, owner, strategy, str(year)))
        part.add(g, node, "summaryFiscalYear", _typed(str(year), "integer"))
        part.add(g, node, "summaryAmount", _typed(str(total), "decimal"))


def summary_node(base: str, kind: str, key: Sequence[str]) -> str:
    """The IRI of the summary node of ``key``: the same for every derivation of it."""
    digest = hashlib.sha1("\n".join(key).encode()).hexdigest()[:20]
    return f"{base}derived/{kind}/{digest}"


def summary(part: Partition, base: str, kind: str, key: tuple[str, ...]) -> str:
    node = summary_node(base, kind, key)
    part.add(key[0], node, "summaryOrganisation", _iri(key[1]))
    part.add(key[0], node, "summaryTarget", _iri(key[2]))
    return node


def allocations(part: Partition, element: Element, facts: GraphFacts) -> None:
    start, end = facts.period.get(element.plan, (None, None))
    for allocation, year, _ in element.budgets:
        if (start is not None and year < start) or (end is not None and year > end):
            part.add(element.graph, allocation, "outsidePeriodOf", _iri(element.plan))


def plan_periods(part: Partition, iri: str, element: Element, facts: GraphFacts) -> None:
    """A plan with an element that directly supports an element of a plan with a disjoint
    period."""
    start, end = facts.period.get(element.plan, (None, None))
    for target in facts.supports.get(iri, ()):
        other = facts.plan_of(target)
        other_start, other_end = facts.period.get(other or "", (None, None))
        if None not in (start, end, other_start, other_end) and (
            end < other_start or other_end < start  # type: ignore[operator]
        ):
            part.add(element.graph, element.plan, "periodDisjointFrom", _iri(other or ""))


def candidate(found: dict[str, list[Candidate]], iri: str, e: Element, facts: GraphFacts) -> None:
    """The element as a title-twin candidate, if it is a project with a title, an owner, an
    area and years."""
    area = facts.area_of(iri, e.plan, e.owner)
    years = [year for _, year, _ in e.budgets] or [
        y for y in facts.period.get(e.plan, (None, None)) if y is not None
    ]
    if e.title_key and e.owner and area and years:
        found[e.title_key].append(Candidate(iri, e.owner, area, min(years), max(years)))


def title_twins(
    part: Partition, own: dict[str, list[Candidate]], outside: Titles, facts: GraphFacts
) -> None:
    """Same normalised title, different owners, overlapping years, and either one area within
    the other or both in one district: neighbouring local governments of a district building
    the same thing is the duplication the district's coordinating committee is there to catch."""
    others = outside(set(own))
    facts.learn_areas(c.area for found in (own, others) for cs in found.values() for c in cs)
    for key, candidates in own.items():
        mine = {c.project for c in candidates}
        everyone = candidates + others.get(key, [])
        district = {c.project: facts.district_of(c.area) for c in everyone}
        by_area: dict[str, list[Candidate]] = defaultdict(list)
        by_district: dict[str | None, list[Candidate]] = defaultdict(list)
        for candidate in everyone:
            by_area[candidate.area].append(candidate)
            by_district[district[candidate.project]].append(candidate)
        by_district.pop(None, None)  # outside any district: only nested areas pair them
        for p in everyone:
            near = [q for area in facts.enclosing(p.area) for q in by_area.get(area, ())]
            for q in near + by_district.get(district[p.project], []):
                if _twins(p, q) and (p.project in mine or q.project in mine):
                    _pair(part, facts, p, q)


def _twins(p: Candidate, q: Candidate) -> bool:
    return p.owner != q.owner and p.first <= q.last and q.first <= p.last


def _pair(part: Partition, facts: GraphFacts, p: Candidate, q: Candidate) -> None:
    for a, b in ((p, q), (q, p)):
        graph = facts.source_of.get(a.project)
        if graph is not None:
            part.add(graph, a.project, "titleTwin", _iri(b.project))
        else:
            part.put(ox.Triple(_iri(a.project), tp("titleTwin"), _iri(b.project)))


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _typed(value: str, dtype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + dtype))
