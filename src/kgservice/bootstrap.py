"""First start: load the ontology, the shapes and the bundled data into their named graphs.

Each source is one named graph: all of ``ontology/*.ttl`` in ``graph/ontology``, all of
``shapes/*.ttl`` in ``graph/shapes``, and each ``data/ttl/**/NAME.ttl`` in ``graph/NAME``. A
SHA-256 of each source's files is kept in ``graph/bootstrap``; a later start reloads only the
sources whose content changed and drops graphs whose files are gone, so an unchanged start loads
nothing. Each source's graph is replaced in one transaction.
"""

import hashlib
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice import derived
from kgservice.errors import BadRequest, RdfSyntaxError
from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store import Store, solutions

log = logging.getLogger("kgservice.bootstrap")
RESERVED_GRAPHS = {"ontology", "shapes", "bootstrap", "derived", "provenance"}
CHECKSUM = ox.NamedNode("http://spdx.org/rdf/terms#checksumValue")
_RECORDED = "SELECT ?g ?sum ?meta ?checksum WHERE { GRAPH ?meta { ?g ?checksum ?sum } }"


@dataclass(frozen=True)
class Source:
    graph: str
    files: tuple[Path, ...]

    def digest(self) -> str:
        sha = hashlib.sha256()
        for path in self.files:
            sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return sha.hexdigest()


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
    for path in data_files:
        if stems[path.stem] > 1 or path.stem in RESERVED_GRAPHS:
            raise BadRequest(
                f"ไฟล์ {path} ใช้ชื่อกราฟซ้ำ (another file or the service already uses the "
                f"graph named {path.stem!r}; rename the file)",
                file=str(path),
            )


def bootstrap(store: Store, settings: Settings) -> list[str]:
    """Bring the store up to date with the bundled files; returns the graphs that changed."""
    started = time.perf_counter()
    meta = graph_iri(settings.base_iri, "bootstrap")
    recorded = _recorded(store, meta)
    wanted = sources(settings)
    stale = [s for s in wanted if recorded.get(s.graph) != s.digest()]
    gone = sorted(set(recorded) - {s.graph for s in wanted})
    with _Progress(len(stale)) as progress:
        for source in stale:
            progress.step(source.files[0].name)
            _replace(store, meta, source, recorded)
    if gone:
        _drop(store, meta, gone, recorded)
    changed = [s.graph for s in stale] + gone
    if changed:
        derived.refresh(store, settings, changed)
    elapsed = time.perf_counter() - started
    log.info("bundled data: %d of %d graphs changed, %.2f s", len(changed), len(wanted), elapsed)
    return changed


def _recorded(store: Store, meta: str) -> dict[str, str]:
    bindings = {"meta": ox.NamedNode(meta), "checksum": CHECKSUM}
    rows = solutions(store.query(_RECORDED, substitutions=bindings))
    return {row["g"].value: row["sum"].value for row in rows}


def _replace(store: Store, meta: str, source: Source, recorded: dict[str, str]) -> None:
    # The hash is recorded after the graph is in: a start stopped in between reloads it.
    store.replace_graphs({source.graph: _parse(source.files)})
    recorded[source.graph] = source.digest()
    store.replace_graphs({meta: _meta(recorded)})


def _drop(store: Store, meta: str, graphs: Sequence[str], recorded: dict[str, str]) -> None:
    for graph in graphs:
        del recorded[graph]
    replacement: dict[str, Iterator[ox.Triple]] = {graph: iter(()) for graph in graphs}
    store.replace_graphs({**replacement, meta: _meta(recorded)})


def _parse(files: Sequence[Path]) -> Iterator[ox.Quad]:
    for path in files:
        try:
            yield from ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            raise RdfSyntaxError(f"{path}: {exc}", file=str(path)) from None


def _meta(recorded: dict[str, str]) -> Iterator[ox.Triple]:
    for graph, digest in sorted(recorded.items()):
        yield ox.Triple(ox.NamedNode(graph), CHECKSUM, ox.Literal(digest))


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
