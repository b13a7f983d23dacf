"""The second pass: each statement with the graph it goes into and the organisation it is
validated with.

A blank node goes with the subject that points at it. Its own statements may come first (a
Turtle ``[ ... ]`` is written inside out), so they wait, per file, until that subject is seen;
those still waiting at the end of the file belong to nobody.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.bulk import ntriples
from kgservice.bulk.ownership import Ownership
from kgservice.bulk.sources import RdfFile

Target = Callable[[RdfFile, str | None, str | None], str | None]
"""The graph a statement goes into, from its file, the graph the file names for it (quad
formats) and its owner; None: not loaded."""

SHOWN_UNPLACED = 1000


@dataclass(frozen=True)
class Routed:
    quad: ox.Quad
    """In the graph it goes into."""
    graph: str
    owner: str | None


@dataclass
class Unplaced:
    """Statements no graph was found for: how many, and (up to a thousand) whose: an IRI, or a
    blank node as ``_:...``."""

    statements: int = 0
    subjects: Counter[str] = field(default_factory=Counter)

    def add(self, text: str) -> None:
        self.statements += 1
        if text in self.subjects or len(self.subjects) < SHOWN_UNPLACED:
            self.subjects[text] += 1


class Router:
    def __init__(self, ownership: Ownership, target: Target) -> None:
        self.ownership = ownership
        self.target = target
        self.unplaced = Unplaced()
        self._graphs: dict[str, ox.NamedNode] = {}

    def route(self, source: RdfFile) -> Iterator[Routed]:
        blanks = _BlankNodes()
        for quad in source.quads():
            subject = quad.subject
            if isinstance(subject, ox.NamedNode):
                yield from self._placed(source, quad, self.ownership.owner(subject.value), blanks)
            elif isinstance(subject, ox.BlankNode) and subject.value in blanks.owners:
                yield from self._placed(source, quad, blanks.owners[subject.value], blanks)
            elif isinstance(subject, ox.BlankNode):
                blanks.waiting.setdefault(subject.value, []).append(quad)
            else:
                yield from self._placed(source, quad, None, blanks)
        while blanks.waiting:  # placing one may place others that wait on it
            _, waiting = blanks.waiting.popitem()
            for quad in waiting:
                yield from self._placed(source, quad, None, blanks)

    def _placed(
        self, source: RdfFile, quad: ox.Quad, owner: str | None, blanks: "_BlankNodes"
    ) -> Iterator[Routed]:
        named = quad.graph_name
        graph = self.target(source, named.value if isinstance(named, ox.NamedNode) else None, owner)
        if graph is None:
            subject = quad.subject
            self.unplaced.add(subject.value if isinstance(subject, ox.NamedNode) else str(subject))
        else:
            yield Routed(
                ox.Quad(quad.subject, quad.predicate, quad.object, self._node(graph)), graph, owner
            )
        if isinstance(quad.object, ox.BlankNode) and quad.object.value not in blanks.owners:
            blanks.owners[quad.object.value] = owner
            for waiting in blanks.waiting.pop(quad.object.value, []):
                yield from self._placed(source, waiting, owner, blanks)

    def route_lines(self, source: RdfFile, file: int) -> Iterator[tuple[bytes, str, str | None]]:
        """An N-Triples file's lines as N-Quads lines in their graphs (``ntriples``)."""
        last: str | None = None
        owner: str | None = None
        terms: dict[str | None, bytes] = {}
        for _, line, subject in ntriples.lines(source, file):
            if subject != last:
                last, owner = subject, None if subject is None else self.ownership.owner(subject)
            graph = self.target(source, None, owner)
            if graph is None:
                self.unplaced.add(subject or line.decode())
                continue
            term = terms.get(graph)
            if term is None:
                term = terms[graph] = str(self._node(graph)).encode()
            yield ntriples.in_graph(line, term, file), graph, owner

    def _node(self, graph: str) -> ox.NamedNode:
        node = self._graphs.get(graph)
        if node is None:
            node = self._graphs[graph] = ox.NamedNode(graph)
        return node


@dataclass
class _BlankNodes:
    owners: dict[str, str | None] = field(default_factory=dict)
    waiting: dict[str, list[ox.Quad]] = field(default_factory=dict)
