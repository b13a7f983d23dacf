"""What is derived from some source graphs: read with a few queries, computed in Python.

Per plan element: its plan (``tp:inPlan``), its owner (``tp:owningOrganisation``: its own or its
plan's), everything it contributes to through ``tp:partOf`` and ``tp:supports`` chains
(``tp:contributesTo``, also through ``tp:Linkage`` source/target); for projects the normalised
title and, for local projects that reach no higher level, the class ``tp:OrphanProject``. Per local
owner and higher-level strategy: the number of supporting projects and their budget per fiscal year
(summary nodes). Budget allocations outside their plan's period, indicators without a target value
or unit, plans whose period misses a plan they support, title twins, each organisation's province.
"""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES, TP
from kgservice.store import Store
from kgservice.titles import normalise_title

XSD = PREFIXES["xsd"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
LOCAL_LEVEL = TP + "LocalLevel"
LINK = "tp:supports|^tp:linkageSource/tp:linkageTarget"


def tp(name: str) -> ox.NamedNode:
    return ox.NamedNode(TP + name)


@dataclass
class Element:
    graph: str
    plan: str
    rank: int
    local: bool
    start: int | None
    end: int | None
    owner: str | None
    title_key: str | None
    targets: dict[str, int] = field(default_factory=dict)  # target -> its plan's rank
    strategies: set[str] = field(default_factory=set)  # targets that are strategies
    budgets: list[tuple[int, Decimal]] = field(default_factory=list)


@dataclass
class Partition:
    triples: set[ox.Triple] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)

    def add(self, graph: str, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        s = ox.NamedNode(subject)
        self.triples.add(ox.Triple(s, tp(predicate), obj))
        self.triples.add(ox.Triple(s, tp("sourceGraph"), ox.NamedNode(graph)))


def derive(
    store: Store, base: str, graphs: Sequence[str] | None, *, outside: dict[str, list[str]]
) -> Partition:
    """Derive the partitions of ``graphs`` (every graph when None).

    ``outside`` gives the normalised titles of projects in other partitions (key -> [project,
    owner, project, owner, ...]) so that title twins across partitions are found.
    """
    reader = _Reader(store, graphs)
    elements = reader.elements()
    part = Partition()
    for iri, element in elements.items():
        _element_facts(part, iri, element)
    _rollups(part, base, elements)
    reader.add_allocations(part, elements)
    reader.add_indicators(part)
    reader.add_plan_periods(part)
    reader.add_provinces(part)
    _title_twins(part, elements, outside)
    return part


class _Reader:
    def __init__(self, store: Store, graphs: Sequence[str] | None) -> None:
        self.store = store
        values = " ".join(str(ox.NamedNode(g)) for g in graphs) if graphs is not None else None
        self.values = f"VALUES ?g {{ {values} }}" if values is not None else ""

    def select(self, body: str) -> ox.QuerySolutions:
        text = f"PREFIX tp: <{TP}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n" + body.replace(
            "#VALUES", self.values
        )
        return self.store.query(text)  # type: ignore[return-value]

    def elements(self) -> dict[str, Element]:
        elements: dict[str, Element] = {}
        for row in self.select(_ELEMENTS):
            elements.setdefault(row["e"].value, _element(row))
        for row in self.select(_CLOSURE):
            element = elements.get(row["e"].value)
            if element is not None:
                element.targets[row["t"].value] = int(row["trank"].value)
                if row["strategy"] is not None:
                    element.strategies.add(row["t"].value)
        for row in self.select(_BUDGETS):
            element = elements.get(row["e"].value)
            if element is not None:
                element.budgets.append((int(row["fy"].value), Decimal(row["amount"].value)))
        return elements

    def add_allocations(self, part: Partition, elements: dict[str, Element]) -> None:
        for row in self.select(_ALLOCATIONS):
            element = elements.get(row["e"].value)
            if element is not None and not _within(int(row["fy"].value), element):
                part.add(element.graph, row["b"].value, "outsidePeriodOf", _iri(element.plan))

    def add_indicators(self, part: Partition) -> None:
        for row in self.select(_INDICATORS):
            for prop in ("targetValue", "unit"):
                if row[prop] is None:
                    part.add(row["g"].value, row["i"].value, "missingProperty", tp(prop))

    def add_plan_periods(self, part: Partition) -> None:
        for row in self.select(_PLAN_PAIRS):
            if int(row["end"].value) < int(row["qstart"].value) or int(row["qend"].value) < int(
                row["start"].value
            ):
                part.add(row["g"].value, row["plan"].value, "periodDisjointFrom", row["q"])

    def add_provinces(self, part: Partition) -> None:
        for row in self.select(_PROVINCES):
            part.add(row["g"].value, row["org"].value, "inProvince", row["province"])


def _element(row: ox.QuerySolution) -> Element:
    title = row["title"]
    return Element(
        graph=row["g"].value,
        plan=row["plan"].value,
        rank=int(row["rank"].value),
        local=row["level"].value == LOCAL_LEVEL,
        start=_int(row["start"]),
        end=_int(row["end"]),
        owner=row["owner"].value if row["owner"] is not None else None,
        title_key=normalise_title(title.value) if title is not None else None,
    )


def _element_facts(part: Partition, iri: str, element: Element) -> None:
    g = element.graph
    part.add(g, iri, "inPlan", _iri(element.plan))
    if element.owner:
        part.add(g, iri, "owningOrganisation", _iri(element.owner))
    for target in element.targets:
        part.add(g, iri, "contributesTo", _iri(target))
    if element.title_key is not None:
        part.add(g, iri, "normalisedTitle", ox.Literal(element.title_key))
        _fiscal_span(part, iri, element)
        if element.local and not any(r < element.rank for r in element.targets.values()):
            part.triples.add(ox.Triple(_iri(iri), RDF_TYPE, tp("OrphanProject")))


def _fiscal_span(part: Partition, iri: str, element: Element) -> None:
    """The years a project runs: those of its allocations, or else its plan's period."""
    years = [year for year, _ in element.budgets]
    first = min(years) if years else element.start
    last = max(years) if years else element.end
    if first is not None and last is not None:
        part.add(element.graph, iri, "firstFiscalYear", _typed(str(first), "integer"))
        part.add(element.graph, iri, "lastFiscalYear", _typed(str(last), "integer"))


def _rollups(part: Partition, base: str, elements: dict[str, Element]) -> None:
    """Per (graph, local owner, strategy): supporting projects and their budget per year."""
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    sums: dict[tuple[str, str, str, int], Decimal] = defaultdict(Decimal)
    for e in elements.values():
        if e.local and e.owner and e.title_key is not None:
            for strategy in e.strategies:
                counts[(e.graph, e.owner, strategy)] += 1
                for year, amount in e.budgets:
                    sums[(e.graph, e.owner, strategy, year)] += amount
    for key, count in counts.items():
        node = _summary(part, base, "support", key)
        part.add(key[0], node, "projectCount", _typed(str(count), "integer"))
    for (g, owner, strategy, year), total in sums.items():
        node = _summary(part, base, "budget", (g, owner, strategy, str(year)))
        part.add(g, node, "summaryFiscalYear", _typed(str(year), "integer"))
        part.add(g, node, "summaryAmount", _typed(str(total), "decimal"))


def _summary(part: Partition, base: str, kind: str, key: tuple[str, ...]) -> str:
    digest = hashlib.sha1("\n".join(key).encode()).hexdigest()[:20]
    node = f"{base}derived/{kind}/{digest}"
    part.add(key[0], node, "summaryOrganisation", _iri(key[1]))
    part.add(key[0], node, "summaryTarget", _iri(key[2]))
    return node


def _title_twins(
    part: Partition, elements: dict[str, Element], outside: dict[str, list[str]]
) -> None:
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, flat in outside.items():
        by_key[key].extend(zip(flat[::2], flat[1::2], strict=True))
    for iri, e in elements.items():
        if e.title_key and e.owner:
            by_key[e.title_key].append((iri, e.owner))
    for iri, e in elements.items():
        for other, owner in by_key.get(e.title_key or "", []) if e.owner else []:
            if owner != e.owner:
                part.add(e.graph, iri, "titleTwin", _iri(other))
                part.triples.add(ox.Triple(_iri(other), tp("titleTwin"), _iri(iri)))


def _within(year: int, element: Element) -> bool:
    return (element.start is None or year >= element.start) and (
        element.end is None or year <= element.end
    )


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _typed(value: str, dtype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + dtype))


def _int(term: ox.NamedNode | ox.Literal | None) -> int | None:
    return int(term.value) if term is not None else None


_ELEMENTS = """SELECT ?g ?e ?plan ?level ?rank ?start ?end ?owner ?title WHERE {
  #VALUES
  GRAPH ?g { ?e tp:partOf ?parent }
  ?e tp:partOf+ ?plan . ?plan tp:level ?level . ?level tp:rank ?rank .
  OPTIONAL { ?plan tp:startFiscalYear ?start } OPTIONAL { ?plan tp:endFiscalYear ?end }
  OPTIONAL { ?e tp:ownedBy ?own } OPTIONAL { ?plan tp:ownedBy ?planOwner }
  BIND(COALESCE(?own, ?planOwner) AS ?owner)
  OPTIONAL { ?e a tp:Project ; rdfs:label ?title FILTER(lang(?title) = "th") }
}"""

_CLOSURE = f"""SELECT DISTINCT ?e ?t ?trank ?strategy WHERE {{
  #VALUES
  GRAPH ?g {{ ?e tp:partOf ?parent }}
  ?e tp:partOf*/({LINK})/(tp:partOf|{LINK})* ?t .
  ?t tp:partOf+ ?tplan . ?tplan tp:level/tp:rank ?trank .
  OPTIONAL {{ ?t a tp:Strategy BIND(true AS ?strategy) }}
}}"""

_BUDGETS = """SELECT ?e ?fy ?amount WHERE {
  #VALUES
  GRAPH ?g { ?e tp:partOf ?parent ; tp:budget ?b . ?b tp:fiscalYear ?fy ; tp:amount ?amount }
}"""

_ALLOCATIONS = """SELECT ?e ?b ?fy WHERE {
  #VALUES
  GRAPH ?g { ?e tp:partOf ?parent ; tp:budget ?b . ?b tp:fiscalYear ?fy }
}"""

_INDICATORS = """SELECT ?g ?i ?targetValue ?unit WHERE {
  #VALUES
  GRAPH ?g { ?e tp:indicator ?i .
    OPTIONAL { ?i tp:targetValue ?targetValue } OPTIONAL { ?i tp:unit ?unit } }
}"""

_PLAN_PAIRS = f"""SELECT DISTINCT ?g ?plan ?start ?end ?q ?qstart ?qend WHERE {{
  #VALUES
  GRAPH ?g {{ ?e tp:partOf ?parent }}
  ?e tp:partOf+ ?plan . ?plan tp:level ?level ; tp:startFiscalYear ?start ; tp:endFiscalYear ?end .
  ?e {LINK} ?t . ?t tp:partOf+ ?q .
  ?q tp:level ?qlevel ; tp:startFiscalYear ?qstart ; tp:endFiscalYear ?qend .
}}"""

_PROVINCES = """SELECT DISTINCT ?g ?org ?province WHERE {
  #VALUES
  GRAPH ?g { ?org tp:jurisdiction ?area }
  ?area tp:withinArea* ?province . ?province a tp:Province .
}"""
