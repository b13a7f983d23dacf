"""A bulk load from start to end: scan, route and spool, then validate and load batch by batch.

Where each statement goes (``Mode``): into the graph of the organisation that owns its subject
(``by_organisation``), into one graph for all (``graph``), or into ``graph/{file stem}`` (a
quad format's named graphs kept). Whatever the mode, statements are validated organisation by
organisation, and a graph is written once every batch holding its statements has been validated:
it replaces what the store held in that graph (a reference graph such as ``graph/areas`` is
added to instead). ``on_violation`` says what happens to a graph with a violation: ``skip``
leaves it out, ``stop`` ends the load there, ``keep`` loads it anyway.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pyoxigraph as ox

from kgservice.bulk import ntriples
from kgservice.bulk.checking import Finding, Report, check, refused
from kgservice.bulk.described import Described
from kgservice.bulk.finish import finish_load
from kgservice.bulk.journal import Journal, journal_path
from kgservice.bulk.ownership import Ownership
from kgservice.bulk.progress import CpuShares, Progress
from kgservice.bulk.routing import Router, Target, Unplaced
from kgservice.bulk.sources import RdfFile
from kgservice.bulk.spool import Spool, plan_batches
from kgservice.namespaces import REFERENCE_GRAPHS, TP, graph_iri
from kgservice.search.documents import LABELS, LINKS
from kgservice.search.streamed import SearchFeed
from kgservice.settings import Settings
from kgservice.store import Store, solutions, union
from kgservice.validation.working import Working

OnViolation = Literal["skip", "stop", "keep"]
_NAMED_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { } }"
_RANKS = "SELECT ?level ?rank WHERE { ?level ?ranked ?rank }"
FED = [ox.NamedNode(p) for p in (*LABELS, *LINKS)]
"""The statements the search feed takes of each batch (``search.streamed``)."""
Spans = dict[str, tuple[int, int]]
"""Graph -> the first and last batch holding its statements."""


@dataclass(frozen=True)
class Mode:
    files: tuple[RdfFile, ...]
    graph: str | None = None
    by_organisation: bool = False
    on_violation: OnViolation = "stop"

    def identity(self) -> str:
        """The same files (sizes and times too) and options make the same load."""
        stamps = [f.stamp() for f in self.files]
        text = json.dumps([stamps, self.graph, self.by_organisation, self.on_violation])
        return hashlib.sha256(text.encode()).hexdigest()

    def target(self, base: str) -> Target:
        if self.by_organisation:
            return lambda source, named, owner: graph_iri(base, owner) if owner else None
        if self.graph is not None:
            graph = self.graph
            return lambda source, named, owner: graph
        return lambda source, named, owner: named or graph_iri(base, source.stem)


@dataclass
class Outcome:
    statements: int = 0
    loaded: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    stopped: bool = False
    unplaced: Unplaced = field(default_factory=Unplaced)

    @property
    def complete(self) -> bool:
        return not self.refused and not self.stopped


def bulk_load(store: Store, settings: Settings, mode: Mode, report: Report) -> Outcome:
    """Load ``mode.files`` into ``store``, then bring the derived data up to date."""
    journal = Journal(journal_path(settings), mode.identity())
    existing = _named_graphs(store)
    _drop(store, [g for g in journal.leftovers if g in existing])
    changed = journal.stale | journal.done
    ownership = _scan(settings.base_iri, mode.files)
    sizes = _sizes(ownership)
    batches = plan_batches(
        sizes, _organisation_ranks(store, ownership), settings.load_batch_statements
    )
    where = None if settings.memory else settings.data_dir.parent
    spool = Spool(where, max(batches.values(), default=0) + 1)
    outcome = Outcome()
    feed = SearchFeed(settings)
    try:
        router = Router(ownership, mode.target(settings.base_iri))
        total = sum(sizes.values())
        spans = _route(router, mode.files, spool, batches, journal.done, total)
        outcome.unplaced = router.unplaced
        loader = _Batches(store, settings, mode, journal, report, existing, outcome, feed)
        loader.run(spool, spans, ownership, total)
    finally:
        spool.close()
    report.write_unplaced(outcome.unplaced)
    streamed = feed.of(outcome.loaded)
    finish_load(store, settings, changed | outcome.loaded | outcome.refused, streamed=streamed)
    journal.close()
    return outcome


def _scan(base: str, files: Sequence[RdfFile]) -> Ownership:
    """The first pass: who owns what."""
    ownership = Ownership(base)
    progress = Progress("reading")
    for number, source in enumerate(files):
        if source.format == ox.RdfFormat.N_TRIPLES:
            for block in ntriples.blocks(source):
                progress.advance(ntriples.scan(ownership, block, number))
        else:
            for quad in progress.counted(source.quads()):
                ownership.see(quad)
    progress.close()
    return ownership


def _sizes(ownership: Ownership) -> Counter[str | None]:
    sizes: Counter[str | None] = Counter()
    for key, n in ownership.statements.items():
        sizes[ownership.owner(key)] += n
    return sizes


def _organisation_ranks(store: Store, ownership: Ownership) -> dict[str, int]:
    """Each organisation's highest plan level (1 national ... 6 community)."""
    rows = solutions(store.query(_RANKS, bindings={"ranked": ox.NamedNode(TP + "rank")}))
    level_ranks = {row["level"].value: int(row["rank"].value) for row in rows}
    ranks: dict[str, int] = {}
    for plan, level in ownership.levels.items():
        owner = ownership.owner(plan)
        if owner is not None and level in level_ranks:
            ranks[owner] = min(ranks.get(owner, level_ranks[level]), level_ranks[level])
    return ranks


def _route(
    router: Router,
    files: Sequence[RdfFile],
    spool: Spool,
    batches: dict[str | None, int],
    done: set[str],
    total: int,
) -> Spans:
    """The second pass: every statement into its batch; graphs already loaded are passed by."""
    spans: Spans = {}
    progress = Progress("sorting", total)

    def note(graph: str, owner: str | None) -> int | None:
        if graph in done:
            return None
        batch = batches.get(owner, 0)
        span = spans.get(graph)
        if span is None:
            spans[graph] = (batch, batch)
        elif not span[0] <= batch <= span[1]:
            spans[graph] = (min(span[0], batch), max(span[1], batch))
        return batch

    for number, source in enumerate(files):
        if source.format == ox.RdfFormat.N_TRIPLES:
            for line, graph, owner in progress.counted(router.route_lines(source, number)):
                if (batch := note(graph, owner)) is not None:
                    spool.add_line(batch, line)
        else:
            for routed in progress.counted(router.route(source)):
                if (batch := note(routed.graph, routed.owner)) is not None:
                    spool.add(batch, routed.quad)
    spool.written()
    progress.close()
    return spans


@dataclass
class _Batches:
    """Validates each batch, then writes the graphs in it that may be written."""

    store: Store
    settings: Settings
    mode: Mode
    journal: Journal
    report: Report
    existing: set[str]
    outcome: Outcome
    search: SearchFeed
    started: set[str] = field(default_factory=set)
    cpu: CpuShares = field(default_factory=CpuShares)

    def run(self, spool: Spool, spans: Spans, ownership: Ownership, total: int) -> None:
        progress = Progress("loading", total)
        with self.cpu.spent("validating"):
            derived = graph_iri(self.settings.base_iri, "derived")
            described = Described(self.store, ownership.key, derived)
        for batch in range(spool.batches):
            text = spool.read(batch)
            with self.cpu.spent("validating"):
                work = Working.of_nquads(text)
                findings = self._check(work, ownership, described) if text else []
            self.report.write(findings)
            bad = refused(findings) if self.mode.on_violation != "keep" else set()
            self._refuse(bad)
            if bad and self.mode.on_violation == "stop":
                self.outcome.stopped = True
                break
            writing = {g for g, (first, last) in spans.items() if first <= batch <= last}
            allowed = writing - self.outcome.refused
            with self.cpu.spent("writing"):
                self._write(allowed, work, text if allowed == writing else None)
            self._finished({g for g in writing if spans[g][1] == batch} - self.outcome.refused)
            progress.advance(text.count(b"\n"))
        progress.close()
        self.cpu.log("loading")

    def _check(self, work: Working, ownership: Ownership, described: Described) -> list[Finding]:
        return check(self.store, self.settings, work, ownership, described, written=self.started)

    def _refuse(self, graphs: set[str]) -> None:
        """Not loaded: what was written of them in earlier batches goes."""
        written = graphs & self.started
        _drop(self.store, sorted(written))
        self.journal.finished(written)
        self.outcome.refused |= graphs

    def _write(self, graphs: set[str], work: Working, text: bytes | None) -> None:
        """Write ``graphs`` from the batch; ``text``: the batch's N-Quads, when every graph in
        it is written."""
        fresh = graphs - self.started
        if fresh:
            self.journal.started(fresh)
            reference = {graph_iri(self.settings.base_iri, n) for n in REFERENCE_GRAPHS}
            _drop(self.store, sorted((fresh & self.existing) - reference))
            self.started |= fresh
        if text is None:
            quads = list(work.statements(graphs))
            self.store.bulk_insert(quads)
            self.outcome.statements += len(quads)
        else:
            self.store.bulk_insert_nquads(text)
            self.outcome.statements += text.count(b"\n")
        if self.search.wanted:
            self.search.add(q for p in FED for q in work.statements(graphs, p))

    def _finished(self, graphs: set[str]) -> None:
        self.journal.finished(graphs)
        self.outcome.loaded |= graphs


def _named_graphs(store: Store) -> set[str]:
    return {row["g"].value for row in solutions(store.query(_NAMED_GRAPHS))}


def _drop(store: Store, graphs: Sequence[str]) -> None:
    if graphs:
        store.update(" ;\n".join(union.drop(g) for g in graphs))
