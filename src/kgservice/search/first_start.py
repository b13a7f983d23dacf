"""A first start's search index, built from the bundled files in a process of its own while the
start loads the same files into the store.

A first start fills an empty store with its sources whole, so what the index needs of the store
is what the files say. A forked process parses them, takes the index's labels and links as a
bulk load's feed does (``kgservice.search.streamed``), and the class and area hierarchies and
levels' ranks (``documents.Reference``), and builds the index; at the lowest CPU priority, so
that the start's own work (its parsing, the store's loader threads, the derived data) keeps the
cores it uses and the build takes what they leave idle. The start's process holds nothing of
it and does nothing for it until its load and derived data are done; then it waits for what is
left of the build and records it (``index.record_build``): a start stopped before that leaves
an index that the next start builds again, from the store.

Each parse names blank nodes afresh, so a document that would show or be found by one cannot
name it as the store does: the build then stops, and the start's look at the store builds the
index instead (``SearchUpkeep.catch_up``).
"""

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from kgservice.derived.gcpause import gc_paused
from kgservice.namespaces import TP
from kgservice.search.documents import (
    LABELS,
    LINKS,
    RDF_TYPE,
    REFERENCE,
    Entry,
    Node,
    Reference,
    entries_of,
)
from kgservice.search.forked import Forked, can_fork
from kgservice.search.index import Record, SearchIndex, record_build
from kgservice.search.streamed import SearchFeed
from kgservice.search.upkeep import fingerprint
from kgservice.settings import Settings
from kgservice.store import Store

log = logging.getLogger("kgservice.search")
NICENESS = 19
"""The build's CPU priority below the start's: the lowest, so that it only takes idle cores."""
PROVINCE = TP + "Province"
Sources = Iterable[tuple[str, Iterable[ox.Quad]]]
"""Each source's graph and its statements, parsed as the start parses them."""
_BLANK_NODE_NAMED = 3
"""The build's exit code when a document would name a blank node."""


class BuildBesideLoad:
    """The build of ``sources``' index, started; ``finish`` it once the load is done."""

    def __init__(self, settings: Settings, path: Path, sources: Sources) -> None:
        self.base_iri = settings.base_iri
        self.path = path
        self.process = Forked(partial(_build, settings, path, sources), niceness=NICENESS)

    def finish(self, store: Store) -> None:
        """Waits for the build, then records it as holding what ``store`` holds. A build that
        did not end well (killed for memory, say) is left unrecorded, and the start builds the
        index from the store."""
        code = self.process.join()
        if code == _BLANK_NODE_NAMED:
            log.info("search index: the bundled files label blank nodes; built from the store")
            return
        if code != 0:
            log.warning("search index: its build ended with %d; built from the store", code)
            return
        sources, submissions = fingerprint(store, self.base_iri)
        record_build(self.path, Record(sources, sorted(submissions)))
        log.info("search index built from the bundled files beside the load")


@contextmanager
def beside_load(settings: Settings, sources: Sources) -> Iterator[BuildBesideLoad | None]:
    """The index of ``sources``, which a first start loads into an empty store, started
    building (None: there is no index on disk, which the start builds itself)."""
    path = settings.search_index_path
    if path is None or not can_fork():
        yield None
        return
    build = BuildBesideLoad(settings, path, sources)
    try:
        yield build
    finally:
        build.process.stop()


class FileFeed(SearchFeed):
    """What the index needs of the files, every graph whole: their labels and links, the
    ``REFERENCE`` statements, and the blank nodes among them."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.added_to = set()  # an empty store holds each graph as loaded
        self.reference: list[tuple[str, str, Node]] = []
        self.blank_nodes: set[str] = set()
        self._wanted = {
            **{ox.NamedNode(p): (self.link, p) for p in LINKS},
            **{ox.NamedNode(p): (self.label, p) for p in LABELS},
            **{ox.NamedNode(p): (self._reference, p) for p in REFERENCE},
        }

    def read(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        wanted, blank = self._wanted, self.blank_nodes
        for quad in quads:
            found = wanted.get(quad.predicate)
            if found is not None:
                subject, obj = quad.subject, quad.object
                if isinstance(subject, ox.BlankNode):
                    blank.add(subject.value)
                if isinstance(obj, ox.BlankNode):
                    blank.add(obj.value)
                see, prop = found
                see(graph, subject, prop, obj)

    def _reference(self, graph: str, subject: Node, prop: str, obj: Node) -> None:
        if not isinstance(subject, ox.Triple):
            self.reference.append((subject.value, prop, obj))

    def entries(self, base_iri: str) -> Iterator[Entry]:
        """Each resource's entry; ``BlankNodeNamed`` when one would name a blank node."""
        seen = self.of(self.labels.keys() | self.links.keys())
        assert seen is not None
        types = (link for links in seen.links.values() for link in links if link[1] == RDF_TYPE)
        provinces = {s for s, _, o in types if o == PROVINCE}
        reference = Reference.of(self.reference, provinces)
        for entry in entries_of(base_iri, reference, [seen]):
            if self.blank_nodes and _names(entry, self.blank_nodes):
                raise BlankNodeNamed(entry.iri)
            yield entry


class BlankNodeNamed(Exception):
    pass


def _names(entry: Entry, nodes: set[str]) -> bool:
    named = {entry.iri, entry.owner, *entry.types, *entry.areas}
    return not named.isdisjoint(nodes)


def _build(settings: Settings, path: Path, sources: Sources) -> None:
    """In the forked process."""
    started, cpu = time.perf_counter(), time.process_time()
    with gc_paused():  # millions of statements, entries and documents, without reference cycles
        feed = FileFeed(settings)
        for graph, quads in sources:
            feed.read(graph, quads)
        index = SearchIndex(path)
        try:
            index.fill(feed.entries(settings.base_iri))
        except BlankNodeNamed:
            sys.exit(_BLANK_NODE_NAMED)
        finally:
            index.close()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    log.info("search index built from the files in %.1f s, CPU %.1f s", wall, cpu)
