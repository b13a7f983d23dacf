"""Keeping the word index in step with the store.

After each accepted write the written graphs' entries are replaced (``written``, which the
write service calls after its commit). A process killed between the store's commit and the
index's leaves the index behind; so the index records what it has taken in, in terms the store
itself keeps in the same transaction as the data: the checksum of each bundled source
(``graph/bootstrap``) and the ``tp:Submission`` of each write (``graph/provenance``). At start
(``catch_up``) the graphs of every source whose checksum changed and of every submission the
index has not seen are read again; an index never built, or a change to the ontology or the
areas (which every entry's types and areas depend on), builds it all again.
"""

import logging
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kgservice.derived.gcpause import gc_paused
from kgservice.namespaces import PREFIXES, REFERENCE_GRAPHS, TP, graph_iri
from kgservice.search.documents import (
    Reference,
    Streamed,
    entries,
    entries_of,
    read_back,
    unstreamed,
)
from kgservice.search.index import Record, SearchIndex
from kgservice.services.provenance import provenance_graph
from kgservice.settings import Settings
from kgservice.store import Store, solutions

log = logging.getLogger("kgservice.search")
CHECKSUM = ox.NamedNode("http://spdx.org/rdf/terms#checksumValue")
STARTED = ox.NamedNode(PREFIXES["prov"] + "startedAtTime")
DATE_TIME = ox.NamedNode(PREFIXES["xsd"] + "dateTime")
_SOURCES = "SELECT ?g ?sum WHERE { GRAPH ?meta { ?g ?checksum ?sum } }"
_SUBMISSIONS = "SELECT ?s ?g WHERE { GRAPH ?prov { ?s ?target ?g } }"
_SUBMISSIONS_SINCE = """SELECT ?s ?g ?at WHERE { GRAPH ?prov {
  ?s ?started ?at FILTER(?at >= ?since) ?s ?target ?g } }"""


@dataclass(frozen=True)
class WholeBuild:
    """A whole build from what a load saw of its graphs, with what it needs of the rest of the
    store read beforehand: it can run where the store is out of reach (another process)."""

    path: Path
    base_iri: str
    reference: Reference
    seen: list[Streamed]
    record: Record

    def run(self) -> None:
        index = SearchIndex(self.path)
        try:
            started, cpu = time.perf_counter(), time.process_time()
            with gc_paused():  # millions of entries and documents, without reference cycles
                index.rebuild(entries_of(self.base_iri, self.reference, self.seen), self.record)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            log.info("search index built in %.1f s, CPU %.1f s", wall, cpu)
        finally:
            index.close()


class SearchUpkeep:
    def __init__(self, index: SearchIndex, store: Store, settings: Settings) -> None:
        self.index = index
        self.store = store
        self.base_iri = settings.base_iri
        self.reference = {graph_iri(settings.base_iri, n) for n in {"ontology", *REFERENCE_GRAPHS}}
        self._facts: Reference | None = None

    def catch_up(self) -> list[str]:
        """Bring the index up to date with the store; returns the graphs read again (all of
        them: ``["*"]``)."""
        sources, submissions = fingerprint(self.store, self.base_iri)
        if not self.index.built:
            self.rebuild(sources, submissions)
            return ["*"]
        recorded = self.index.sources
        changed = {g for g in {*sources, *recorded} if sources.get(g) != recorded.get(g)}
        return self._take_in(changed, sources, submissions)

    def catch_up_writes(self, since: datetime) -> datetime:
        """Take in the writes that started at ``since`` or later and the index has not seen
        (another process's, in a store several share); returns when the newest of them started
        (``since`` when none did). What is read grows with those writes, not with every write
        ever made."""
        prov: dict[str, ox.NamedNode | ox.Literal] = {
            "prov": ox.NamedNode(provenance_graph(self.base_iri)),
            "target": ox.NamedNode(TP + "targetGraph"),
            "started": STARTED,
            "since": ox.Literal(since.isoformat(), datatype=DATE_TIME),
        }
        submissions: dict[str, set[str]] = {}
        newest = since
        for row in solutions(self.store.query(_SUBMISSIONS_SINCE, bindings=prov)):
            submissions.setdefault(row["s"].value, set()).add(row["g"].value)
            newest = max(newest, _instant(row["at"].value))
        self._take_in(set(), None, submissions)
        return newest

    def _take_in(
        self, changed: set[str], sources: dict[str, str] | None, submissions: dict[str, set[str]]
    ) -> list[str]:
        """Read again the ``changed`` graphs and those of the ``submissions`` not taken in yet."""
        unseen = [s for s in submissions if s not in self.index.submissions]
        changed |= {g for s in unseen for g in submissions[s]}
        if changed & self.reference:
            self.rebuild()
            return ["*"]
        if changed:
            self._replace(sorted(changed), Record(sources, unseen))
            log.info("search index: %d graphs read again", len(changed))
        return sorted(changed)

    def written(self, graphs: Iterable[str], submission: str) -> None:
        """After a write committed ``graphs``, recorded as ``submission``."""
        graphs = sorted(graphs)
        if self.reference & set(graphs):
            self.rebuild()
        else:
            self._replace(graphs, Record(None, [submission]))

    def loaded(
        self, graphs: Collection[str], *, whole: bool, streamed: Streamed | None = None
    ) -> None:
        """After a bulk load wrote ``graphs`` (``whole``: so many that reading everything again
        is quicker); ``streamed``: what the load saw of the graphs it wrote whole, not read back.
        A load records no submission: a load killed before this leaves the index behind until
        ``kgservice search-index --rebuild``."""
        if whole or self.reference & set(graphs):
            self.rebuild(streamed=streamed)
        else:
            self._replace(sorted(graphs), Record(None, []), streamed)

    def whole_build(
        self, graphs: Collection[str], *, whole: bool, streamed: Streamed | None
    ) -> WholeBuild | None:
        """The build ``loaded`` would make, as a ``WholeBuild``, when it builds the whole index
        and ``streamed`` covers most of the store; otherwise None."""
        rebuilds = whole or bool(self.reference & set(graphs))
        if streamed is None or self.index.path is None or not rebuilds:
            return None
        rest, streamed = unstreamed(self.store, None, streamed)
        if streamed is None:
            return None
        seen = [streamed, read_back(self.store, [g for g in rest if g is not None])]
        sources, submissions = fingerprint(self.store, self.base_iri)
        record = Record(sources, sorted(submissions))
        return WholeBuild(self.index.path, self.base_iri, Reference.read(self.store), seen, record)

    def rebuild(
        self,
        sources: dict[str, str] | None = None,
        submissions: dict[str, set[str]] | None = None,
        streamed: Streamed | None = None,
    ) -> None:
        if sources is None or submissions is None:
            sources, submissions = fingerprint(self.store, self.base_iri)
        started = time.perf_counter()
        self._facts = Reference.read(self.store)
        with gc_paused():  # millions of labels, entries and documents, without reference cycles
            found = entries(self.store, self.base_iri, self._facts, streamed=streamed)
            self.index.rebuild(found, Record(sources, sorted(submissions)))
        log.info("search index built in %.1f s", time.perf_counter() - started)

    def _replace(self, graphs: list[str], record: Record, streamed: Streamed | None = None) -> None:
        if self._facts is None:
            self._facts = Reference.read(self.store)
        found = entries(self.store, self.base_iri, self._facts, graphs, streamed)
        self.index.replace(graphs, found, record)


def fingerprint(store: Store, base_iri: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """What the index records of the store: each bundled source's checksum, and the graphs of
    each write (``tp:Submission``)."""
    meta = {"meta": ox.NamedNode(graph_iri(base_iri, "bootstrap")), "checksum": CHECKSUM}
    rows = solutions(store.query(_SOURCES, bindings=meta))
    sources = {row["g"].value: row["sum"].value for row in rows}
    prov = {
        "prov": ox.NamedNode(provenance_graph(base_iri)),
        "target": ox.NamedNode(TP + "targetGraph"),
    }
    submissions: dict[str, set[str]] = {}
    for row in solutions(store.query(_SUBMISSIONS, bindings=prov)):
        submissions.setdefault(row["s"].value, set()).add(row["g"].value)
    return sources, submissions


def _instant(value: str) -> datetime:
    """A recorded ``xsd:dateTime``; one a store gives back without its zone is in UTC, as
    written (``kgservice.services.provenance``)."""
    when = datetime.fromisoformat(value)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
