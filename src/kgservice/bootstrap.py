"""First start: load the ontology, the shapes and the bundled data into their named graphs.

Each source is one named graph: all of ``ontology/*.ttl`` in ``graph/ontology``, all of
``shapes/*.ttl`` in ``graph/shapes``, and each ``data/ttl/**/NAME.ttl`` in ``graph/NAME``. A
SHA-256 of each source's files is kept in ``graph/bootstrap``, with the files' names, sizes and
modification times (``tp:sourceFileStamp``); a later start hashes only the sources whose stamp
changed, reloads only those whose content changed and drops graphs whose files are gone, so an
unchanged start reads no file and loads nothing. A changed source's graph and its checksum are
replaced in one transaction. Sources with no checksum yet (all of them on a first start) are
bulk-loaded together and recorded afterwards:
a start stopped in between leaves them unrecorded, and the next start drops what it finds of
them and loads them again. Into an empty store, the facts the derived data is computed from are
gathered while loading (``kgservice.derived.streamed_facts``) instead of being read back, and the
search index is built from the same files in a process of its own beside the load
(``kgservice.search.first_start``).
"""

import hashlib
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice.bulk.finish import finish_load
from kgservice.bulk.journal import journal_path, unfinished
from kgservice.bulk.progress import stage
from kgservice.derived.facts import GraphFacts
from kgservice.derived.gcpause import gc_paused
from kgservice.derived.streamed_facts import FactGatherer
from kgservice.errors import BadRequest, RdfSyntaxError
from kgservice.namespaces import REFERENCE_GRAPHS, SERVICE_GRAPHS, TP, graph_iri
from kgservice.search.first_start import BuildBesideLoad, beside_load
from kgservice.settings import Settings
from kgservice.store import Store, solutions, union

log = logging.getLogger("kgservice.bootstrap")
CHECKSUM = ox.NamedNode("http://spdx.org/rdf/terms#checksumValue")
STAMP = ox.NamedNode(TP + "sourceFileStamp")
_RECORDED = """SELECT ?g ?sum ?stamp ?meta ?checksum ?stamped WHERE {
  GRAPH ?meta { ?g ?checksum ?sum OPTIONAL { ?g ?stamped ?stamp } } }"""


@dataclass(frozen=True)
class Source:
    graph: str
    files: tuple[Path, ...]

    def digest(self) -> str:
        sha = hashlib.sha256()
        for path in self.files:
            sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return sha.hexdigest()

    def stamp(self) -> str:
        """Each file's name, size and modification time: what a changed file almost always
        changes, read without opening it."""
        stats = ((path.name, path.stat()) for path in self.files)
        return " ".join(f"{name}:{st.st_size}:{st.st_mtime_ns}" for name, st in stats)


def sources(settings: Settings) -> list[Source]:
    base = settings.base_iri
    data_files = sorted(settings.bundled_data_dir.rglob("*.ttl"))
    _check_unique(data_files)
    found = [
        Source(graph_iri(base, "ontology"), tuple(sorted(settings.ontology_dir.glob("*.ttl")))),
        Source(graph_iri(base, "shapes"), tuple(sorted(settings.shapes_dir.glob("*.ttl")))),
    ]
    found += [Source(graph_iri(base, path.stem), (path,)) for path in data_files]
    return [source for source in found if source.files]


def _check_unique(data_files: list[Path]) -> None:
    """Each data file needs a graph of its own, not one the service keeps for something else."""
    stems = Counter(path.stem for path in data_files)
    reserved = SERVICE_GRAPHS - REFERENCE_GRAPHS
    for path in data_files:
        if stems[path.stem] > 1 or path.stem in reserved:
            raise BadRequest(
                f"ไฟล์ {path} ใช้ชื่อกราฟซ้ำ (another file or the service already uses the "
                f"graph named {path.stem!r}; rename the file)",
                file=str(path),
            )


def bootstrap(store: Store, settings: Settings, *, search: bool = False) -> list[str]:
    """Bring the store up to date with the bundled files; returns the graphs that changed.

    ``search``: on a first start, build the search index too, from the files beside the load
    (what the service does; other commands leave the index to whoever opens it)."""
    started = time.perf_counter()
    _drop_half_loaded(store, settings)
    meta = graph_iri(settings.base_iri, "bootstrap")
    recorded, stamps = _recorded(store, meta)
    wanted = sources(settings)
    digests = _digests(wanted, recorded, stamps)
    stale = [s for s in wanted if recorded.get(s.graph) != digests[s.graph][0]]
    reloaded = {s.graph for s in stale}  # a set: a national first start has 10,000 sources
    touched = [
        s.graph
        for s in wanted
        if s.graph not in reloaded and stamps.get(s.graph) != digests[s.graph][1]
    ]
    gone = sorted(set(recorded) - set(digests))
    fresh = [s for s in stale if s.graph not in recorded]
    with _index_beside(store, settings, fresh) if search else nullcontext() as index:
        with _Progress(len(stale)) as progress:
            for source in stale:
                if source.graph in recorded:
                    progress.step(source.files[0].name)
                    _replace(store, meta, source, digests[source.graph])
            facts = _load_fresh(store, meta, fresh, digests, progress) if fresh else None
        if gone:
            store.update(f"{_drop(gone)} ;\n{_forget(meta, gone)}")
        if touched:  # same content, new stamps: recorded so that the next start need not hash
            record = _record(meta, {g: digests[g] for g in touched})
            store.update(f"{_forget(meta, touched)} ;\n{record}")
        changed = [s.graph for s in stale] + gone
        finish_load(store, settings, changed, facts=facts, bulk_loaded=bool(fresh), search=False)
        if index is not None:
            with stage("search index"):
                index.finish(store)
    elapsed = time.perf_counter() - started
    log.info("bundled data: %d of %d graphs changed, %.2f s", len(changed), len(wanted), elapsed)
    return changed


def _index_beside(
    store: Store, settings: Settings, fresh: Sequence[Source]
) -> AbstractContextManager[BuildBesideLoad | None]:
    """On a first start (into an empty store), the search index of the sources, built from their
    files beside the load; otherwise the service's start brings it up to date from the store."""
    if not fresh or next(iter(store.graph_names()), None) is not None:
        return nullcontext()
    return beside_load(settings, ((s.graph, _parse(s.files, lenient=True)) for s in fresh))


def _drop_half_loaded(store: Store, settings: Settings) -> None:
    """A bulk load killed part-way leaves the graphs it was writing half-written until it is run
    again (``kgservice.bulk.journal``); they are not served so."""
    half = unfinished(journal_path(settings))
    if half:
        store.update(_drop(half))
        log.warning("dropped %d graphs a load left half-written; run it again to finish", len(half))


def _recorded(store: Store, meta: str) -> tuple[dict[str, str], dict[str, str]]:
    """Per graph, its recorded checksum and the stamp of its files then."""
    bindings = {"meta": ox.NamedNode(meta), "checksum": CHECKSUM, "stamped": STAMP}
    rows = list(solutions(store.query(_RECORDED, bindings=bindings)))
    checksums = {row["g"].value: row["sum"].value for row in rows}
    stamps = {row["g"].value: row["stamp"].value for row in rows if row["stamp"] is not None}
    return checksums, stamps


def _digests(
    wanted: Sequence[Source], recorded: dict[str, str], stamps: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Per source, its checksum and stamp; the recorded checksum when the stamp is unchanged."""
    current = {s.graph: s.stamp() for s in wanted}
    to_hash = [s for s in wanted if stamps.get(s.graph) != current[s.graph]]
    with ThreadPoolExecutor() as pool:  # hashing and reading release the interpreter lock
        hashed = dict(
            zip([s.graph for s in to_hash], pool.map(Source.digest, to_hash), strict=True)
        )
    return {s.graph: (hashed.get(s.graph) or recorded[s.graph], current[s.graph]) for s in wanted}


def _replace(store: Store, meta: str, source: Source, digest: tuple[str, str]) -> None:
    """The source's graph and its checksum, in one update."""
    record = _record(meta, {source.graph: digest})
    store.replace_graphs(
        {source.graph: _parse(source.files)}, then=[_forget(meta, [source.graph]), record]
    )


def _load_fresh(
    store: Store,
    meta: str,
    fresh: Sequence[Source],
    digests: dict[str, tuple[str, str]],
    progress: "_Progress",
) -> GraphFacts | None:
    """Sources without a checksum: whatever an interrupted start left of their graphs is dropped,
    then all of them go in with one bulk load, and only then are their checksums recorded.

    Into an empty store, the facts the derived data needs are gathered on the way and returned."""
    existing = {graph.value for graph in store.graph_names()}
    leftovers = [s.graph for s in fresh if s.graph in existing]
    if leftovers:
        store.update(_drop(leftovers))
    gatherer = None if existing else FactGatherer()
    with gc_paused():
        store.bulk_insert(_quads(fresh, progress, gatherer))
        store.update(_record(meta, {s.graph: digests[s.graph] for s in fresh}))
        return gatherer.facts() if gatherer else None


def _quads(
    fresh: Sequence[Source],
    progress: "_Progress",
    gatherer: FactGatherer | None,
) -> Iterator[ox.Quad]:
    for source in fresh:
        progress.step(source.files[0].name)
        graph = ox.NamedNode(source.graph)
        for quad in _parse(source.files):
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if gatherer:
                gatherer.add(source.graph, subject, predicate, obj)
            yield ox.Quad(subject, predicate, obj, graph)


def _parse(files: Sequence[Path], *, lenient: bool = False) -> Iterator[ox.Quad]:
    """``lenient``: without checking what a valid file holds (IRIs, language tags), which takes
    a third of the time; for a second reading of files the start reads and checks anyway."""
    for path in files:
        try:
            yield from ox.parse(
                path=path, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True, lenient=lenient
            )
        except SyntaxError as exc:
            raise RdfSyntaxError(f"{path}: {exc}", file=str(path)) from None


def _drop(graphs: Sequence[str]) -> str:
    return " ;\n".join(union.drop(graph) for graph in graphs)


def _forget(meta: str, graphs: Sequence[str]) -> str:
    """Delete the checksums and stamps of ``graphs``."""
    values = " ".join(str(ox.NamedNode(graph)) for graph in graphs)
    pattern = f"GRAPH {ox.NamedNode(meta)} {{ ?g ?recorded ?value }}"
    return union.delete(meta, "?g ?recorded ?value", f"VALUES ?g {{ {values} }} {pattern}")


def _record(meta: str, digests: dict[str, tuple[str, str]]) -> str:
    """Insert each graph's checksum and stamp, ``_RECORDS`` graphs per operation."""
    lines = [
        f"{ox.NamedNode(graph)} {CHECKSUM} {ox.Literal(digest)} ;\n  {STAMP} {ox.Literal(stamp)} ."
        for graph, (digest, stamp) in sorted(digests.items())
    ]
    chunks = (lines[i : i + _RECORDS] for i in range(0, len(lines), _RECORDS))
    return " ;\n".join(union.insert_data(meta, "\n".join(chunk)) for chunk in chunks)


_RECORDS = 250
"""Virtuoso's SPARQL parser runs out of memory on one INSERT DATA of a national start's 7,929
graphs' records (with the union copy's, 31,716 statements): 1,000 statements an operation."""


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.visible = total > 0 and sys.stderr.isatty()

    def __enter__(self) -> "_Progress":
        return self

    def step(self, label: str) -> None:
        if self.visible:
            filled = self.WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            sys.stderr.write(f"\rloading [{bar}] {self.done + 1}/{self.total} {label[:40]:<40}")
            sys.stderr.flush()
        self.done += 1

    def __exit__(self, *exc: object) -> None:
        if self.visible:
            sys.stderr.write(f"\rloaded {self.total} sources{' ' * (self.WIDTH + 50)}\n")
