"""The default backend: an Oxigraph store in this process, on disk or in memory."""

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kgservice.errors import StoreUnavailable
from kgservice.query.text import sets_own_dataset
from kgservice.store.base import (
    QueryResult,
    Store,
    Term,
    bind_values,
    solutions,
    syntax_error,
)
from kgservice.store.replacement import replacement_update

log = logging.getLogger("kgservice.store")
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class EmbeddedStore(Store):
    sole_writer = True

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.location = str(path) if path is not None else "memory"
        self._compaction: threading.Thread | None = None
        try:
            if path is not None:
                path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:  # another process holds the store's lock, or no such directory
            raise StoreUnavailable(
                f"เปิดคลังข้อมูลที่ {path} ไม่ได้ (cannot open the store): {exc}"
            ) from None

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        # Values go into the text (written by pyoxigraph from checked terms, never spliced from
        # user text) rather than through pyoxigraph's substitutions, which plan the query before
        # the value is known: a pattern on a bound province or strategy would then be evaluated
        # for every value and filtered afterwards, several times slower.
        text = bind_values(sparql, substitutions)
        # pyoxigraph's union flag would override the query's own FROM / FROM NAMED.
        union = default_graph is None and not sets_own_dataset(sparql)
        try:
            return self._store.query(
                text,
                use_default_graph_as_union=union,
                default_graph=_nodes(default_graph),
                named_graphs=_nodes(named_graphs),
                base_iri=base_iri,
            )
        except SyntaxError as exc:
            raise syntax_error(str(exc)) from None

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise syntax_error(str(exc)) from None
        finally:
            self.version += 1

    def load(self, data: bytes | IO[bytes], *, format: ox.RdfFormat, graph: str | None) -> None:
        target = ox.NamedNode(graph) if graph else None
        try:
            self._store.load(data, format=format, to_graph=target)
        finally:
            self.version += 1

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]]) -> None:
        try:
            self._replace_graphs(graphs)
        finally:
            self.version += 1

    def _replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]]) -> None:
        if any(self._store.contains_named_graph(ox.NamedNode(name)) for name in graphs):
            # One update (DROP + INSERT DATA) is one transaction, unlike a clear followed by
            # extend; its text and parse cost about 1.5 kB of memory per triple.
            self._store.update("".join(replacement_update(graphs)))
        else:
            # Nothing to drop: extend is one transaction too, and streams (a first load).
            self._store.extend(_in_graphs(graphs))

    def bulk_insert(self, quads: Iterable[ox.Quad]) -> None:
        # Oxigraph's bulk loader writes sorted files straight into the indexes: several times
        # faster than a transaction, which also holds all of its changes in memory.
        try:
            self._store.bulk_extend(quads)
        finally:
            self.version += 1

    def graphs(self) -> dict[str, int]:
        rows = solutions(self._store.query(_GRAPH_SIZES))
        return {row["g"].value: int(row["n"].value) for row in rows}

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat, graph: str | None = None) -> None:
        if graph is None:
            self._store.dump(output, format=format)
        else:
            self._store.dump(output, format=format, from_graph=ox.NamedNode(graph))

    def compact(self) -> None:
        # A bulk load leaves the indexes in many overlapping files, which every lookup has to
        # search: at national scale a lookup takes about twice as long until they are merged.
        # Merging them takes ~25 s there; pyoxigraph releases the GIL meanwhile and queries go on.
        running = self._compaction is not None and self._compaction.is_alive()
        if self.path is not None and not running:
            self._compaction = threading.Thread(
                target=self._store.optimize, name="kgservice-compaction", daemon=True
            )
            self._compaction.start()

    def close(self) -> None:
        if self._compaction is not None:
            if self._compaction.is_alive():
                log.info("waiting for the store's files to finish merging (%s)", self.location)
            self._compaction.join()
            self._compaction = None
        self._store.flush()


def _in_graphs(graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]]) -> Iterator[ox.Quad]:
    for name, statements in graphs.items():
        graph = ox.NamedNode(name)
        for s in statements:
            yield ox.Quad(s.subject, s.predicate, s.object, graph)


def _nodes(iris: list[str] | None) -> list[Any] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]
