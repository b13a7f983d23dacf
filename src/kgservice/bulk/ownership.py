"""Who owns a statement's subject, learnt in one pass over the files and kept per plan.

A subject belongs to an organisation through a chain: a plan is ``tp:ownedBy`` the organisation,
an element is ``tp:partOf`` a plan or another element, a budget or an indicator goes with the
element that has it (``tp:budget``, ``tp:indicator``), an agreement with the element it covers
(``tp:covers``). An organisation (``{base}org/{id}``) and a graph's own description
(``{base}graph/{id}``) are their own; an area (``{base}area/...``) belongs in the reference graph
``graph/areas``.

Data IRIs minted under a plan (``{base}plan/P/...``) go with that plan, as a write's authority
check has it (``services/authority.py``), so a link between two nodes of one plan need not be
kept: what is kept is one entry per plan and per subject linked across plans or outside any
plan, however many statements the files hold.
"""

from collections import Counter
from collections.abc import Iterator

import pyoxigraph as ox

from kgservice.namespaces import REFERENCE_GRAPHS, SERVICE_GRAPHS, TP

LINKS = {TP + "ownedBy": 0, TP + "partOf": 1, TP + "covers": 2}
"""Subject belongs with object; when a subject has several, the lowest number wins."""
HELD = {TP + "budget", TP + "indicator"}
"""Object belongs with subject."""
HELD_PRIORITY = 3
LEVEL = TP + "level"
AREAS = "areas"
_MAX_CHAIN = 64


class Ownership:
    """Collects the links while the files stream past (``see``), then answers ``owner``: the
    name of the graph a subject belongs in (an organisation id, or ``areas``), or None."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.plans = base + "plan/"
        self._roots = {base + "org/": "org", base + "graph/": "graph", base + "area/": "area"}
        self._links: dict[str, tuple[int, str]] = {}
        self.levels: dict[str, str] = {}
        """Each plan's ``tp:level``."""
        self.statements: Counter[str] = Counter()
        """Statements per plan or other subject, to size batches by."""
        self._owners: dict[str, str | None] = {}

    def key(self, iri: str) -> str:
        """The plan an IRI is minted under (``{base}plan/P`` for ``{base}plan/P/...``), or
        the IRI itself."""
        if iri.startswith(self.plans):
            name, slash, _ = iri[len(self.plans) :].partition("/")
            if slash and name:
                return self.plans + name
        return iri

    def see(self, quad: ox.Quad) -> None:
        subject, obj = quad.subject, quad.object
        if not isinstance(subject, ox.NamedNode):
            return  # blank nodes go with whoever points at them (routing.py)
        self.statements[self.key(subject.value)] += 1
        if not isinstance(obj, ox.NamedNode):
            return
        predicate = quad.predicate.value
        if predicate in LINKS:
            self.link(subject.value, LINKS[predicate], obj.value)
        elif predicate in HELD:
            self.link(obj.value, HELD_PRIORITY, subject.value)
        elif predicate == LEVEL:
            self.levels[subject.value] = obj.value

    def link(self, child: str, priority: int, parent: str) -> None:
        if self.key(child) == self.key(parent):
            return  # one plan's nodes: the IRI says it
        known = self._links.get(child)
        if known is None or known[0] > priority:
            self._links[child] = (priority, parent)

    def owner(self, iri: str) -> str | None:
        """The graph name ``iri`` belongs in, following its links."""
        if iri in self._links:
            return self._resolve(iri)
        key = self.key(iri)
        found = self._owners.get(key, ...)
        if found is ...:
            found = self._owners[key] = self._resolve(key)
        return found

    def _resolve(self, iri: str) -> str | None:
        for node in self._chain(iri):
            name = self._root_name(node)
            if name is not None:
                return name
        return None

    def _chain(self, iri: str) -> Iterator[str]:
        """``iri``, then what it belongs with, and so on (cut short on a cycle)."""
        seen: set[str] = set()
        node: str | None = iri
        while node is not None and node not in seen and len(seen) < _MAX_CHAIN:
            seen.add(node)
            yield node
            link = self._links.get(node)
            key = self.key(node)
            node = link[1] if link else (key if key != node else None)

    def _root_name(self, iri: str) -> str | None:
        for prefix, kind in self._roots.items():
            if iri.startswith(prefix):
                return _named(kind, iri[len(prefix) :])
        return None

    def organisations(self) -> set[str]:
        """Every organisation some subject belongs to."""
        owners = {self.owner(key) for key in self.statements}
        return {name for name in owners if name is not None and name != AREAS}


def _named(kind: str, rest: str) -> str | None:
    if kind == "area":
        return AREAS
    if not rest or "/" in rest or "#" in rest:
        return None
    if kind == "graph" and rest in SERVICE_GRAPHS - REFERENCE_GRAPHS:
        return None  # the service's own graphs are not loaded into
    if kind == "org" and rest in SERVICE_GRAPHS:
        return None
    return rest
