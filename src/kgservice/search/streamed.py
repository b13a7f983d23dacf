"""The labels and links of the graphs a bulk load writes, taken as its statements go by.

The index built at a load's end needs, of every resource, its labels and a few links (types,
``tp:partOf``, level, owner, areas). Reading them back from the store costs more than noting
them while the loader holds the statements anyway; the store is still read for every graph the
load did not write whole (the bundled graphs, a reference graph it added to, a graph it refused).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from sys import intern

import pyoxigraph as ox

from kgservice.namespaces import REFERENCE_GRAPHS, graph_iri
from kgservice.search.documents import LABELS, LINKS, Link, Node, Streamed, StreamedLabel
from kgservice.settings import Settings

_LABELS = {ox.NamedNode(p): p for p in LABELS}
_LINKS = {ox.NamedNode(p): p for p in LINKS}
_LANGUAGES = ("th", "en", "")


class SearchFeed:
    """Fed each batch of statements a load writes (``add``); ``of`` what it loaded."""

    def __init__(self, settings: Settings) -> None:
        self.wanted = settings.search_index_path is not None
        self.added_to = {graph_iri(settings.base_iri, name) for name in REFERENCE_GRAPHS}
        """Graphs a load adds to rather than replaces: what the store holds of them is more."""
        # per graph, with the IRIs interned: a resource's IRI is held once for all its statements
        self.labels: defaultdict[str, list[StreamedLabel]] = defaultdict(list)
        self.links: defaultdict[str, list[Link]] = defaultdict(list)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        if not self.wanted:
            return
        for quad in quads:
            self.see(quad)

    def see(self, quad: ox.Quad) -> None:
        """One statement (wanted or not: the caller asks ``wanted`` first)."""
        predicate = quad.predicate
        if predicate in _LINKS:
            graph = quad.graph_name.value  # type: ignore[union-attr]
            self.link(graph, quad.subject, _LINKS[predicate], quad.object)
        elif predicate in _LABELS:
            graph = quad.graph_name.value  # type: ignore[union-attr]
            self.label(graph, quad.subject, _LABELS[predicate], quad.object)

    def link(self, graph: str, subject: Node, prop: str, obj: Node) -> None:
        """A statement of ``prop``, one of ``LINKS``."""
        if not isinstance(subject, ox.Triple) and not isinstance(obj, ox.Triple):
            self.links[graph].append((intern(subject.value), prop, intern(obj.value)))

    def label(self, graph: str, subject: Node, prop: str, obj: Node) -> None:
        """A statement of ``prop``, one of ``LABELS``."""
        if isinstance(obj, ox.Literal) and (obj.language or "") in _LANGUAGES:
            if not isinstance(subject, ox.Triple):
                label = (intern(subject.value), prop, obj.value, obj.language or "")
                self.labels[graph].append(label)

    def of(self, loaded: Collection[str]) -> Streamed | None:
        """What was seen of the graphs in ``loaded`` that the store holds just as loaded."""
        if not self.wanted:
            return None
        whole = frozenset(loaded) - self.added_to
        labels = {g: found for g, found in self.labels.items() if g in whole}
        links = {g: found for g, found in self.links.items() if g in whole}
        self.labels, self.links = defaultdict(list), defaultdict(list)
        return Streamed(whole, labels, links)
