"""The part of the knowledge graph a submission needs to be validated, and nothing more.

Rules such as R03, R04, R06, R10 and R11 look beyond the submission: at the elements it supports,
their plans' levels and periods, and the areas those plans cover. Instead of copying the graph
into the validator, a few small queries fetch:

1. what the store already says about the submission's own nodes (the graph as it would be),
2. starting from every IRI the submission mentions, the chain of plan elements, plans, levels,
   owners and areas reached through the linkage predicates, with only the facts the rules read
   (a walk of a few steps, one query per step: a SPARQL ``*`` path from hundreds of seeds takes
   seconds at national scale),
3. the class hierarchy (so targets and ``sh:class`` see subclasses).

Seed IRIs go into a VALUES block; they come from the RDF parser as validated IRIs, so writing
them with their N-Triples syntax cannot inject anything.
"""

from collections.abc import Collection, Container, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES
from kgservice.store import Store, Term

TP = PREFIXES["tp"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")

FOLLOWED = (
    "partOf",
    "supports",
    "level",
    "coversArea",
    "withinArea",
    "ownedBy",
    "jurisdiction",
    "linkageMode",
)
"""Predicates walked from the submission into the graph (each points up or sideways, so the
walk stays short: element -> plan -> level, owner, area -> enclosing areas; owner -> its area)."""

KEPT = (
    "rdf:type",
    "skos:inScheme",
    *(f"tp:{name}" for name in FOLLOWED),
    "tp:rank",
    "tp:startFiscalYear",
    "tp:endFiscalYear",
    "tp:areaCode",
    "tp:governmentTier",
)
"""Facts the rules read about the nodes the walk reaches."""

CHUNK = 5000
"""IRIs per VALUES block."""

_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rdf", "rdfs", "skos", "tp"))

OWN_FACTS = _PROLOGUE + "SELECT ?s ?p ?o WHERE { VALUES ?s { %s } %s }"
KEPT_FACTS = (
    _PROLOGUE
    + "SELECT ?s ?p ?o WHERE { VALUES ?s { %s } %s FILTER (?p IN ("
    + ", ".join(KEPT)
    + ")) }"
)
_FOLLOWED = frozenset(TP + name for name in FOLLOWED)
CLASS_HIERARCHY = (
    _PROLOGUE + "SELECT ?s ?p ?o WHERE { ?s rdfs:subClassOf ?o BIND (rdfs:subClassOf AS ?p) }"
)


@dataclass
class Seeds:
    """What a submission is about: its subjects, and the IRIs it points at that are not among
    them (classes excepted: the hierarchy comes separately). Asked of the working graph
    (``validation.working``)."""

    subjects: set[Term] = field(default_factory=set)
    mentioned: set[ox.NamedNode] = field(default_factory=set)


def extract_context(
    store: Store, seeds: Seeds, *, replacing: Collection[str] = (), alone: Container[str] = ()
) -> set[ox.Triple]:
    """Triples from ``store`` the rules need next to the submission; graphs in ``replacing`` are
    left out (their stored content is what the submission replaces), and so are the subjects
    ``alone``, which no graph outside them describes: asking about each subject reads all it
    has in every graph, the replaced ones too, a big graph's whole content once more (and one
    lookup each in a store that grows with a bulk load)."""
    named = {s for s in seeds.subjects if isinstance(s, ox.NamedNode)}
    pattern = graph_pattern(replacing)
    context: set[ox.Triple] = set()
    for chunk in chunks({s for s in named if s.value not in alone}):
        context.update(select_triples(store, OWN_FACTS % (values(chunk), pattern)))
    # The own nodes' facts are all in hand: the walk starts from where they lead.
    reached: set[ox.NamedNode] = set(named)
    frontier = (seeds.mentioned | _followed(context)) - reached
    while frontier:
        reached |= frontier
        found: set[ox.Triple] = set()
        for chunk in chunks(frontier):
            found.update(select_triples(store, KEPT_FACTS % (values(chunk), pattern)))
        context |= found
        frontier = _followed(found) - reached
    context.update(select_triples(store, CLASS_HIERARCHY))
    return context


def _followed(triples: Iterable[ox.Triple]) -> set[ox.NamedNode]:
    """The nodes the walk goes on to from ``triples``."""
    return {
        t.object
        for t in triples
        if t.predicate.value in _FOLLOWED and isinstance(t.object, ox.NamedNode)
    }


def chunks(nodes: set[ox.NamedNode]) -> Iterator[list[ox.NamedNode]]:
    """A big submission asks in several queries, so no query text grows without bound."""
    ordered = sorted(nodes, key=str)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def graph_pattern(replacing: Collection[str]) -> str:
    if not replacing:
        return "?s ?p ?o"
    excluded = ", ".join(str(ox.NamedNode(g)) for g in sorted(replacing))
    return f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN ({excluded}))"


def values(nodes: Iterable[ox.NamedNode]) -> str:
    return " ".join(str(n) for n in nodes)


def select_triples(store: Store, query: str) -> Iterable[ox.Triple]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        yield ox.Triple(row["s"], row["p"], row["o"])
