"""The derived data's changes for a write that edits some elements of one graph, computed from
those elements instead of the graph's whole partition (``kgservice.derived.upkeep``).

An office sends its workbook back with a few rows edited: a few projects of thousands change
their titles, budgets or indicators. What is derived of an element follows from it and from what
it is part of or supports, never from what is part of it or supports it; what is derived of
several elements together (the summaries, a plan's disjoint periods, title twins) is corrected
by what the edited elements take away and add. So a write is an edit when every subject whose
statements change (among those the derived data is read from, ``facts.READ``) is

- an element of the graph (``tp:partOf``), not a plan, that no element of any graph is part of
  or supports and no other graph holds; or
- a budget allocation of such elements only (they are then edited), or an indicator.

Anything else (a plan, the organisation, an area, a strategy others support, a blank node, a
write of several graphs, a large share of a graph's statements) is not an edit, and the graph's
whole partition is derived again.

For an edit, the elements' facts are read as the store has them and as the write leaves them;
their own derived statements (and their allocations' and indicators') are replaced by those
derived anew, their title twins are looked for among every other project, and the summaries
they count in take their stored figure less what they counted before plus what they count
after, as the province roll-ups do (``kgservice.derived.rollups``), which are then corrected
from the summaries. A plan's disjoint periods, an OR over its elements, are only kept: an edit
that changes the edited elements' part in them is derived the whole way.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from kgservice import sparql_values
from kgservice.derived import rollups
from kgservice.derived.compute import (
    LOCAL_LEVEL,
    Candidate,
    Partition,
    Titles,
    allocations,
    candidate,
    element_facts,
    elements,
    plan_periods,
    summaries,
    summary_node,
    tally,
    title_twins,
)
from kgservice.derived.facts import READ, GraphFacts, Replacement, Within, read_facts
from kgservice.namespaces import PREFIXES, TP, graph_iri
from kgservice.store import Store, union

_LINKED_BY = (TP + "partOf", TP + "supports", TP + "linkageTarget")
"""The predicates whose object an element is part of or supports."""

_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
MOST = 0.25
"""The largest share of a graph's statements (of those the derived data is read from) an edit
changes: an edit reads its elements' facts twice (before and after) and looks around each, the
whole partition reads every element's once."""


@dataclass(frozen=True)
class Edit:
    graph: str
    within: Within
    subjects: frozenset[str]
    """Every subject whose derived statements the edit replaces: the elements, their budget
    allocations before and after, the indicators."""


@dataclass
class _Shape:
    """What a graph's statements say of its subjects, as far as telling an edit goes."""

    elements: set[str] = field(default_factory=set)
    plans: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)
    allocated: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    measured: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, statements: Iterable[ox.Triple]) -> "_Shape":
        shape = cls()
        for t in statements:
            s, p, o = t.subject.value, t.predicate.value, t.object.value  # type: ignore[union-attr]
            if p == TP + "partOf":
                shape.elements.add(s)
            if p == TP + "level":
                shape.plans.add(s)
            if p in _LINKED_BY:
                shape.linked.add(o)
            if p == TP + "budget":
                shape.allocated[o].add(s)
            if p == TP + "indicator":
                shape.measured[o].add(s)
        return shape

    def allocations(self, elements: set[str]) -> set[str]:
        return {b for b, holders in self.allocated.items() if holders & elements}

    def indicators(self, elements: set[str]) -> set[str]:
        return {i for i, holders in self.measured.items() if holders & elements}


def edit_of(store: Store, replacement: Replacement) -> Edit | None:
    """The edit that ``replacement`` makes of the graph it replaces, or None when it is not one
    (see above). What the write changes is told apart from the statements of both contents;
    what surrounds it is read from the store's indexes and the replacement's, so that an edit
    costs what it changes."""
    if len(replacement.graphs) != 1:
        return None
    graph = replacement.graphs[0]
    before = {t for t in store.graph_triples(graph) if t.predicate.value in READ}
    after = set(replacement.store.graph_triples(graph))
    changed = before ^ after
    if len(changed) > max(len(before), len(after)) * MOST or any(map(_blank, changed)):
        return None
    around = _Around(store, replacement.store, graph)
    subjects = {t.subject.value for t in changed}  # type: ignore[union-attr]
    shape = around.shape(subjects)
    elements, indicators = set(), set()
    for subject in subjects:
        if subject in shape.elements:
            elements.add(subject)
        elif subject in shape.allocated:
            elements |= shape.allocated[subject]
        elif subject in shape.measured:
            indicators.add(subject)
        else:
            return None
    shape = around.shape(subjects | elements)
    allocations = shape.allocations(elements)
    shape = around.shape(subjects | elements | allocations)
    if (
        elements & (shape.plans | shape.linked)
        or elements - shape.elements
        or any(shape.allocated[b] - elements for b in allocations)
        or _held_elsewhere(store, graph, elements)
    ):
        return None
    indicators |= shape.indicators(elements)
    within = Within(frozenset(elements), frozenset(indicators))
    return Edit(graph, within, frozenset(elements | allocations | indicators))


def _blank(t: ox.Triple) -> bool:
    """A write gives blank nodes fresh identities: everything about them changes."""
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


class _Around:
    """The statements that tell an edit, around some nodes of a graph, before and after."""

    def __init__(self, store: Store, new: Store, graph: str) -> None:
        self.stores = (store, new)
        self.graph = ox.NamedNode(graph)

    def shape(self, nodes: set[str]) -> _Shape:
        ordered = sorted(nodes)
        found: list[ox.Triple] = []
        for i in range(0, len(ordered), 5000):
            batch = ordered[i : i + 5000]
            text = _AROUND.replace("#OUT", sparql_values.iris("s", batch)).replace(
                "#IN", sparql_values.iris("o", batch)
            )
            for store in self.stores:
                rows = store.query(text, bindings={"g": self.graph})
                found += (ox.Triple(r["s"], r["p"], r["o"]) for r in rows)  # type: ignore[union-attr]
        return _Shape.of(found)


_AROUND = f"""PREFIX tp: <{TP}>
SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{
  {{ #OUT ?s ?p ?o FILTER(?p IN (tp:partOf, tp:level, tp:budget, tp:indicator)) }}
  UNION
  {{ #IN ?s ?p ?o
     FILTER(?p IN (tp:partOf, tp:supports, tp:linkageTarget, tp:budget, tp:indicator)) }}
}} }}"""


def _held_elsewhere(store: Store, graph: str, elements: set[str]) -> bool:
    """Whether another graph holds one of ``elements`` or links to one."""
    ordered = sorted(elements)
    for i in range(0, len(ordered), 5000):
        text = _ELSEWHERE.replace("#VALUES", sparql_values.iris("x", ordered[i : i + 5000]))
        if store.query(text, bindings={"g": ox.NamedNode(graph)}):
            return True
    return False


_ELSEWHERE = f"""PREFIX tp: <{TP}>
ASK {{ GRAPH ?h {{
  {{ #VALUES ?y tp:partOf|tp:supports|tp:linkageTarget ?x }} UNION {{ #VALUES ?x tp:partOf ?o }}
}} FILTER(?h != ?g) }}"""


@dataclass
class _Part:
    """What some elements derive, and their part in what is derived of several together."""

    own: Partition
    periods: Partition
    candidates: dict[str, list[Candidate]]
    members: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """Per support summary: how many of the elements count in it (projects or not)."""
    budgeted: Counter[tuple[str, str, str, int]] = field(default_factory=Counter)
    """Per budget summary: how many of the elements count in it (projects with an allocation
    in its year)."""
    counts: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    sums: dict[tuple[str, str, str, int], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )

    @classmethod
    def of(cls, facts: GraphFacts) -> "_Part":
        part = cls(Partition(), Partition(), defaultdict(list))
        for iri, element in elements(facts):
            element_facts(part.own, iri, element)
            allocations(part.own, element, facts)
            plan_periods(part.periods, iri, element, facts)
            candidate(part.candidates, iri, element, facts)
            counts: dict[tuple[str, str, str], int] = defaultdict(int)
            sums: dict[tuple[str, str, str, int], Decimal] = defaultdict(Decimal)
            tally(counts, sums, element)
            part.members.update(counts.keys())  # each key once: one element
            part.budgeted.update(sums.keys())
            for key, count in counts.items():
                part.counts[key] += count
            for year_key, amount in sums.items():
                part.sums[year_key] += amount
        for graph, indicator, missing in facts.incomplete_indicators:
            part.own.add(graph, indicator, "missingProperty", ox.NamedNode(TP + missing))
        return part


def operations(
    store: Store, base: str, edit: Edit, replacement: Replacement, outside: Titles
) -> list[str] | None:
    """The update operations that bring ``graph/derived`` in step with ``edit``, to run after
    the write in the same request; None when the edit changes a plan's disjoint periods."""
    graphs = [edit.graph]
    before = _Part.of(read_facts(store, graphs, within=edit.within))
    facts = read_facts(store, graphs, replacement=replacement, within=edit.within)
    after = _Part.of(facts)
    if before.periods.triples != after.periods.triples:
        return None
    derived = graph_iri(base, "derived")
    elements = edit.within.elements
    title_twins(after.own, after.candidates, _apart(outside, elements), facts)
    stored = _stored(store, derived, edit)
    summaries = _Summaries(store, base, derived, edit, before, after)
    return [
        union.delete_data(derived, stored - after.own.triples),
        union.insert_data(derived, union.lines(after.own.triples - stored)),
        *summaries.operations(),
    ]


def _apart(outside: Titles, elements: frozenset[str]) -> Titles:
    """Other projects with those titles: in other graphs and among this graph's unedited ones."""

    def found(keys: set[str]) -> dict[str, list[Candidate]]:
        return {
            key: [c for c in candidates if c.project not in elements]
            for key, candidates in outside(keys).items()
        }

    return found


def _stored(store: Store, derived: str, edit: Edit) -> set[ox.Triple]:
    """The derived statements of the edit's subjects, and the title twins that point at its
    elements."""
    text = _STORED.replace("#VALUES", sparql_values.iris("s", sorted(edit.subjects))).replace(
        "#TWINS", sparql_values.iris("o", sorted(edit.within.elements))
    )
    bound = {"derived": ox.NamedNode(derived), "g": ox.NamedNode(edit.graph)}
    return {ox.Triple(r["s"], r["p"], r["o"]) for r in store.query(text, bindings=bound)}  # type: ignore[union-attr]


_STORED = f"""PREFIX tp: <{TP}>
SELECT ?s ?p ?o WHERE {{
  {{ #VALUES GRAPH ?derived {{ ?s tp:sourceGraph ?g ; ?p ?o }} }}
  UNION
  {{ #TWINS GRAPH ?derived {{ ?s tp:titleTwin ?o }} BIND(tp:titleTwin AS ?p) }}
}}"""


class _Summaries:
    """The summaries the edited elements count in, corrected, and the province roll-ups
    corrected from them."""

    def __init__(
        self, store: Store, base: str, derived: str, edit: Edit, before: _Part, after: _Part
    ) -> None:
        self.store, self.base, self.derived, self.edit = store, base, derived, edit
        self.before, self.after = before, after

    def operations(self) -> list[str]:
        before, after = self.before, self.after
        counts = [
            k
            for k in before.counts.keys() | after.counts.keys()
            if (before.members[k], before.counts.get(k)) != (after.members[k], after.counts.get(k))
        ]
        sums = [
            k
            for k in before.sums.keys() | after.sums.keys()
            if (before.budgeted[k], before.sums.get(k)) != (after.budgeted[k], after.sums.get(k))
        ]
        if not counts and not sums:
            return []
        support = {key: _node(self.base, "support", key) for key in counts}
        budget = {key: _node(self.base, "budget", (*key[:3], str(key[3]))) for key in sums}
        stored = self._stored({*support.values(), *budget.values()})
        new = Partition()
        summaries(
            new,
            self.base,
            {k: c for k in counts if (c := self.count(k, stored[support[k]])) is not None},
            {k: a for k in sums if (a := self._sum(k, stored[budget[k]])) is not None},
        )
        old = {t for triples in stored.values() for t in triples}
        partition = (self._partition() - old) | new.triples
        graphs = [self.edit.graph]
        return [
            union.delete_data(self.derived, old - new.triples),
            union.insert_data(self.derived, union.lines(new.triples - old)),
            *rollups.changes(self.store, self.base, self.derived, graphs, partition),
        ]

    def count(self, key: tuple[str, str, str], stored: set[ox.Triple]) -> int | None:
        figure = _figure(stored, "projectCount")
        members = self.before.members[key], self.after.members[key]
        if not self._remains(*members, stored=figure is not None, key=key):
            return None
        return int(figure or 0) - self.before.counts.get(key, 0) + self.after.counts.get(key, 0)

    def _sum(self, key: tuple[str, str, str, int], stored: set[ox.Triple]) -> Decimal | None:
        figure = _figure(stored, "summaryAmount")
        members = self.before.budgeted[key], self.after.budgeted[key]
        if not self._remains(*members, stored=figure is not None, key=key[:3], year=key[3]):
            return None
        before, after = self.before.sums.get(key, Decimal(0)), self.after.sums.get(key, Decimal(0))
        return Decimal(figure or 0) - before + after

    def _remains(
        self,
        before: int,
        after: int,
        *,
        stored: bool,
        key: tuple[str, str, str],
        year: int | None = None,
    ) -> bool:
        """Whether some element counts in the summary after the edit (``before``, ``after``:
        how many of the edited elements count in it)."""
        if after:
            return True
        return stored and (not before or self._others(key, year))

    def _others(self, key: tuple[str, str, str], year: int | None) -> bool:
        """Whether an element the edit leaves as it is counts in the summary."""
        graph, organisation, target = key
        bound: dict[str, ox.NamedNode | ox.Literal] = {
            "derived": ox.NamedNode(self.derived),
            "g": ox.NamedNode(graph),
            "organisation": ox.NamedNode(organisation),
            "target": ox.NamedNode(target),
        }
        text = _MEMBERS
        if year is not None:
            text, bound["year"] = _BUDGETED, ox.Literal(str(year), datatype=_INTEGER)
        limit = len(self.edit.within.elements) + 1
        rows = self.store.query(text.replace("#LIMIT", str(limit)), bindings=bound)
        return any(row["y"].value not in self.edit.within.elements for row in rows)  # type: ignore[union-attr]

    def _stored(self, nodes: set[ox.NamedNode]) -> dict[ox.NamedNode, set[ox.Triple]]:
        found: dict[ox.NamedNode, set[ox.Triple]] = {node: set() for node in nodes}
        text = _NODES.replace("#VALUES", sparql_values.iris("s", sorted(n.value for n in nodes)))
        for row in self.store.query(text, bindings={"derived": ox.NamedNode(self.derived)}):  # type: ignore[union-attr]
            found[row["s"]].add(ox.Triple(row["s"], row["p"], row["o"]))
        return found

    def _partition(self) -> set[ox.Triple]:
        """The graph's stored summaries and placements, what the roll-ups are reckoned from."""
        bound = {"derived": ox.NamedNode(self.derived), "g": ox.NamedNode(self.edit.graph)}
        rows = self.store.query(_SUMMARIES, bindings=bound)
        return {ox.Triple(r["s"], r["p"], r["o"]) for r in rows}  # type: ignore[union-attr]


def _node(base: str, kind: str, key: Sequence[str]) -> ox.NamedNode:
    return ox.NamedNode(summary_node(base, kind, key))


def _figure(stored: set[ox.Triple], name: str) -> str | None:
    found = (t.object for t in stored if t.predicate.value == TP + name)
    return next((o.value for o in found if isinstance(o, ox.Literal)), None)


_MEMBERS = f"""PREFIX tp: <{TP}>
SELECT ?y WHERE {{
  GRAPH ?derived {{ ?y tp:contributesTo ?target ; tp:owningOrganisation ?organisation ;
    tp:sourceGraph ?g ; tp:inPlan ?plan }}
  GRAPH ?h {{ ?plan tp:level <{LOCAL_LEVEL}> }}
}} LIMIT #LIMIT"""

_BUDGETED = f"""PREFIX tp: <{TP}>
SELECT ?y WHERE {{
  GRAPH ?derived {{ ?y tp:contributesTo ?target ; tp:owningOrganisation ?organisation ;
    tp:sourceGraph ?g ; tp:inPlan ?plan ; tp:normalisedTitle ?title }}
  GRAPH ?h {{ ?plan tp:level <{LOCAL_LEVEL}> }}
  GRAPH ?g {{ ?y tp:budget ?b . ?b tp:fiscalYear ?year }}
}} LIMIT #LIMIT"""

_NODES = "SELECT ?s ?p ?o WHERE { GRAPH ?derived { #VALUES ?s ?p ?o } }"

_SUMMARIES = f"""PREFIX tp: <{TP}>
SELECT ?s ?p ?o WHERE {{ GRAPH ?derived {{
  ?s tp:sourceGraph ?g .
  {{ ?s tp:summaryOrganisation ?x ; ?p ?o }}
  UNION {{ ?s tp:inProvince ?o BIND(tp:inProvince AS ?p) }}
}} }}"""
