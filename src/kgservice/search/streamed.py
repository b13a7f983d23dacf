"""The labels and links of the graphs a bulk load writes, taken as its statements go by.

The index built at a load's end needs, of every resource, its labels and a few links (types,
``tp:partOf``, level, owner, areas). Reading them back from the store costs more than noting
them while the loader holds the statements anyway; the store is still read for every graph the
load did not write whole (the bundled graphs, a reference graph it added to, a graph it refused).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable

import pyoxigraph as ox

from kgservice.namespaces import REFERENCE_GRAPHS, graph_iri
from kgservice.search.documents import Statements, Streamed
from kgservice.settings import Settings


class SearchFeed(Statements):
    """Fed each batch of statements a load writes (``add``); ``of`` what it loaded."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.wanted = settings.search_index_path is not None
        self.added_to = {graph_iri(settings.base_iri, name) for name in REFERENCE_GRAPHS}
        """Graphs a load adds to rather than replaces: what the store holds of them is more."""

    def add(self, quads: Iterable[ox.Quad]) -> None:
        if not self.wanted:
            return
        for quad in quads:
            self.see(quad)

    def of(self, loaded: Collection[str]) -> Streamed | None:
        """What was seen of the graphs in ``loaded`` that the store holds just as loaded."""
        if not self.wanted:
            return None
        whole = frozenset(loaded) - self.added_to
        labels = {g: found for g, found in self.labels.items() if g in whole}
        links = {g: found for g, found in self.links.items() if g in whole}
        self.labels, self.links = defaultdict(list), defaultdict(list)
        return Streamed(whole, labels, links)
