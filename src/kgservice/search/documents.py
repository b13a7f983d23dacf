"""What the search index holds about a resource, read from the store: its labels, and the
facts a search filters and ranks by (types with their superclasses, level, owner, areas).

A resource's level, owner and area are often said once, on its plan: a project inherits them
along ``tp:partOf``, and an organisation's area is its ``tp:jurisdiction``. Reading one graph
(after a write) follows those links into other graphs as far as it needs to.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES, TP, graph_iri
from kgservice.store import QueryResult, Store, solutions

RDF_TYPE = PREFIXES["rdf"] + "type"
LABELS = [
    PREFIXES["rdfs"] + "label",
    PREFIXES["skos"] + "altLabel",
    PREFIXES["dcterms"] + "title",
    PREFIXES["dcterms"] + "description",
]
LINKS = [
    RDF_TYPE,
    TP + "partOf",
    TP + "level",
    TP + "ownedBy",
    TP + "coversArea",
    TP + "jurisdiction",
]
UNINDEXED = ("shapes", "bootstrap", "derived", "provenance")
"""Service graphs about the service, not the plans: neither their labels nor their links (the
derived data's types, for one) are taken in, so that the index holds what the plans assert
however it was built."""
_SKIPPED = ", ".join(f"?{name}" for name in UNINDEXED)
_VALUES = "VALUES ?p { " + " ".join(f"<{p}>" for p in LABELS) + " }"
_LABELS = f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_VALUES}
  FILTER(isLiteral(?o) && LANG(?o) IN ("th", "en", "")) }}"""
_LINK_VALUES = "VALUES ?p { " + " ".join(f"<{p}>" for p in LINKS) + " }"
_LINKS = f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_LINK_VALUES} }}"
_LINKS_OF = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o {_LINK_VALUES} }}"
_OF_PREDICATE = f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({_SKIPPED})) }}"
_LABELS_OF_PREDICATE = """SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(isLiteral(?o) && LANG(?o) IN ("th", "en", "")) }"""
REFERENCE = [PREFIXES["rdfs"] + "subClassOf", TP + "rank", TP + "withinArea"]
"""The predicates of the class and area hierarchies and the levels' ranks (``Reference``)."""
_REFERENCE_VALUES = "VALUES ?p { " + " ".join(f"<{p}>" for p in REFERENCE) + " }"
_REFERENCE = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o {_REFERENCE_VALUES} }}"
_PROVINCES = f"SELECT ?s WHERE {{ ?s a <{TP}Province> }}"


_SUBCLASS, _RANK, _WITHIN = REFERENCE
Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""Any term a statement holds."""

Link = tuple[str, str, str]
"""A resource, one of ``LINKS``, and its value."""
StreamedLabel = tuple[str, str, str, str]
"""A resource, one of ``LABELS``, the text and its language tag ("" for none)."""


@dataclass(frozen=True)
class Streamed:
    """What a bulk load saw of the graphs it wrote whole (``kgservice.search.streamed``)."""

    graphs: frozenset[str]
    labels: dict[str, list[StreamedLabel]]
    """Per graph."""
    links: dict[str, list[Link]]
    """Per graph."""


class Label(NamedTuple):
    text: str
    lang: str
    prop: str


@dataclass
class Entry:
    """One resource as the index holds it (one per graph that labels it)."""

    graph: str
    iri: str
    labels: list[Label] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    """Its asserted types."""
    kinds: list[str] = field(default_factory=list)
    """Its types and all their superclasses: what ``type=`` filters on."""
    rank: int = 0
    """Its plan's level, 1 (national) to 6 (community); 0 when it has none."""
    owner: str = ""
    province: str = ""
    areas: list[str] = field(default_factory=list)
    """The area it covers or its owner governs, and every area that one lies within."""


@dataclass
class Reference:
    """The small graph-wide facts every entry needs: class and area hierarchies, level ranks."""

    superclasses: dict[str, set[str]]
    ranks: dict[str, int]
    parent_area: dict[str, str]
    provinces: set[str]

    @classmethod
    def read(cls, store: Store) -> "Reference":
        rows = solutions(store.query(_REFERENCE))
        provinces = {row["s"].value for row in solutions(store.query(_PROVINCES))}
        return cls.of(((s.value, p.value, o) for s, p, o in rows), provinces)

    @classmethod
    def of(cls, statements: Iterable[tuple[str, str, Node]], provinces: set[str]) -> "Reference":
        """From the statements of the ``REFERENCE`` predicates (subject, predicate, object) and
        the provinces. Of a level's ranks or an area's parents the smallest counts, whatever
        the order they come in."""
        supers: dict[str, set[str]] = defaultdict(set)
        ranks: dict[str, int] = {}
        parents: dict[str, str] = {}
        for s, p, o in statements:
            if p == _RANK and isinstance(o, ox.Literal):
                rank = int(o.value) if o.value.isdigit() else 0
                ranks[s] = min(rank, ranks.get(s, rank))
            elif p == _WITHIN and not isinstance(o, ox.Triple):
                parents[s] = min(o.value, parents.get(s, o.value))
            elif p == _SUBCLASS and isinstance(o, ox.NamedNode):
                supers[s].add(o.value)
        return cls(_closure(supers), ranks, parents, provinces)

    def area_chain(self, area: str) -> list[str]:
        chain: list[str] = []
        while area and area not in chain:
            chain.append(area)
            area = self.parent_area.get(area, "")
        return chain

    def kinds(self, types: tuple[str, ...]) -> list[str]:
        """The types and all their superclasses, sorted."""
        return sorted({k for t in types for k in (t, *self.superclasses.get(t, ()))})


def _closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    def up(node: str, seen: set[str]) -> set[str]:
        for parent in direct.get(node, ()):
            if parent not in seen:
                seen.add(parent)
                up(parent, seen)
        return seen

    return {node: up(node, set()) for node in direct}


class Links:
    """Each resource's types and its partOf, level, ownedBy, coversArea and jurisdiction links;
    links of resources not read yet are read from the store when asked for."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.types: dict[str, list[str]] = {}
        self.values: dict[str, dict[str, str]] = {p: {} for p in LINKS if p != RDF_TYPE}
        self._read: set[str] = set()
        self._inherited: dict[tuple[str, str], str] = {}

    def add(self, links: Iterable[Link]) -> None:
        types, values = self.types, self.values
        for s, p, o in links:
            self._read.add(s)
            if p == RDF_TYPE:
                types.setdefault(s, []).append(o)
            elif o < values[p].get(s, "\uffff"):  # one value, the same whatever the order read
                values[p][s] = o

    def of(self, iri: str, prop: str) -> str:
        if self.store is not None and iri not in self._read:
            self._read.add(iri)
            bindings = {"s": ox.NamedNode(iri)}
            self.add(_links(self.store.query(_LINKS_OF, bindings=bindings)))
        return self.values[prop].get(iri, "")

    def inherited(self, iri: str, prop: str) -> str:
        """The value on the resource or, failing that, on what it is part of."""
        return self.of(iri, prop) or self._from_parent(self.of(iri, TP + "partOf"), prop, set())

    def _from_parent(self, parent: str, prop: str, seen: set[str]) -> str:
        if not parent or parent in seen:
            return ""
        key = (parent, prop)
        if key not in self._inherited:  # many resources share a parent: each is followed once
            seen.add(parent)
            up = self.of(parent, TP + "partOf")
            self._inherited[key] = self.of(parent, prop) or self._from_parent(up, prop, seen)
        return self._inherited[key]


def entries(
    store: Store,
    base_iri: str,
    reference: Reference,
    graphs: list[str] | None = None,
    streamed: Streamed | None = None,
) -> Iterator[Entry]:
    """The entries of the given graphs (of all indexed graphs when None); those of the
    ``streamed`` graphs from what a load saw of them, the others' from the store."""
    read, streamed = unstreamed(store, graphs, streamed)
    found = Found(base_iri, Links(None if graphs is None else store))
    if streamed is not None:
        found.add(streamed)
    for graph in read:
        found.read(store, graph)
    return found.resolved(reference)


def entries_of(base_iri: str, reference: Reference, seen: Iterable[Streamed]) -> Iterator[Entry]:
    """The entries of every graph, from what was seen of them all (no store at hand)."""
    found = Found(base_iri, Links(None))
    for part in seen:
        found.add(part)
    return found.resolved(reference)


def read_back(store: Store, graphs: Iterable[str]) -> Streamed:
    """What the store holds of ``graphs``, as a load would have seen it."""
    labels: dict[str, list[StreamedLabel]] = {}
    links: dict[str, list[Link]] = {}
    for graph in graphs:
        bindings = {"g": ox.NamedNode(graph)}
        links[graph] = list(_links(store.query(_LINKS, bindings=bindings)))
        rows = solutions(store.query(_LABELS, bindings=bindings))
        labels[graph] = [
            (row["s"].value, row["p"].value, row["o"].value, row["o"].language or "")
            for row in rows
        ]
    return Streamed(frozenset(graphs), labels, links)


class Found:
    """Entries as their labels are found, and the links they are resolved by."""

    def __init__(self, base_iri: str, links: Links) -> None:
        self.links = links
        self.entries: dict[tuple[str, str], Entry] = {}
        self.skipped = {graph_iri(base_iri, name) for name in UNINDEXED}
        self._skipped = {name: ox.NamedNode(graph_iri(base_iri, name)) for name in UNINDEXED}

    def label(self, graph: str, iri: str, label: Label) -> None:
        if graph not in self.skipped:
            key = (graph, iri)
            entry = self.entries.get(key) or self.entries.setdefault(key, Entry(graph, iri))
            entry.labels.append(label)

    def add(self, seen: Streamed) -> None:
        for graph, links in seen.links.items():
            if graph not in self.skipped:
                self.links.add(links)
        for graph, labels in seen.labels.items():
            for iri, prop, text, lang in labels:
                self.label(graph, iri, _label(text, lang, prop))

    def read(self, store: Store, graph: str | None) -> None:
        """From the store: ``graph``'s (every graph's when None)."""
        if graph is None:
            self.read_all(store)
            return
        if graph in self.skipped:
            return
        bindings = {"g": ox.NamedNode(graph)}
        self.links.add(_links(store.query(_LINKS, bindings=bindings)))
        for g, s, p, o in solutions(store.query(_LABELS, bindings=bindings)):
            self.label(g.value, s.value, _label(o.value, o.language, p.value))

    def read_all(self, store: Store) -> None:
        """Every graph's, one predicate at a time: rows without the predicate cost half as
        much to take apart, which is most of what reading them costs."""
        for prop in LINKS:
            bindings = {"p": ox.NamedNode(prop), **self._skipped}
            rows = solutions(store.query(_OF_PREDICATE, bindings=bindings))
            self.links.add((s.value, prop, o.value) for s, o in rows)
        for prop in LABELS:
            rows = solutions(store.query(_LABELS_OF_PREDICATE, bindings={"p": ox.NamedNode(prop)}))
            for g, s, o in rows:
                self.label(g.value, s.value, _label(o.value, o.language, prop))

    def resolved(self, reference: Reference) -> Iterator[Entry]:
        # many entries share their types and their area: each list is made once, and shared
        kinds, chains = cache(reference.kinds), cache(reference.area_chain)
        for entry in self.entries.values():
            yield _resolved(entry, self.links, reference, kinds, chains)


def unstreamed(
    store: Store, graphs: list[str] | None, streamed: Streamed | None
) -> tuple[list[str | None], Streamed | None]:
    """The graphs to read from the store one by one (``None``: all in one go), and what was
    streamed of the rest. When the store holds more graphs besides the streamed ones than
    those, all of them are read in one go instead."""
    if streamed is not None:
        wanted = graphs if graphs is not None else [g.value for g in store.graph_names()]
        rest: list[str | None] = [g for g in wanted if g not in streamed.graphs]
        if graphs is not None or len(rest) <= len(streamed.graphs):
            return rest, streamed
    return ([*graphs] if graphs is not None else [None]), None


def _links(rows: QueryResult) -> Iterator[Link]:
    for s, p, o in solutions(rows):
        yield s.value, p.value, o.value


def _label(text: str, language: str | None, prop: str) -> Label:
    lang = language or ("th" if any("\u0e00" <= c <= "\u0e7f" for c in text) else "en")
    return Label(text, lang, prop)


def _resolved(
    entry: Entry,
    links: Links,
    reference: Reference,
    kinds: Callable[[tuple[str, ...]], list[str]],
    chains: Callable[[str], list[str]],
) -> Entry:
    iri = entry.iri
    if len(entry.labels) > 1:
        entry.labels.sort(key=_label_order)
    entry.types = sorted(links.types.get(iri, []))
    entry.kinds = kinds(tuple(entry.types))
    entry.rank = reference.ranks.get(links.inherited(iri, TP + "level"), 0)
    entry.owner = links.inherited(iri, TP + "ownedBy")
    area = (
        links.inherited(iri, TP + "coversArea")
        or links.of(iri, TP + "jurisdiction")
        or (links.of(entry.owner, TP + "jurisdiction") if entry.owner else "")
        or (iri if iri in reference.parent_area or iri in reference.provinces else "")
    )
    entry.areas = chains(area) if area else []
    entry.province = next((a for a in entry.areas if a in reference.provinces), "")
    return entry


def _label_order(label: Label) -> tuple[int, str, str]:
    return LABELS.index(label.prop), label.text, label.lang
