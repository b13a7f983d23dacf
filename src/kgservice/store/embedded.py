"""The default backend: an Oxigraph store in this process, on disk or in memory."""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgservice.store.base import QueryResult, Store, Term


class EmbeddedStore(Store):
    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._store = ox.Store(str(path)) if path is not None else ox.Store()

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryResult:
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        return self._store.query(
            sparql,
            use_default_graph_as_union=default_graph is None,
            default_graph=[ox.NamedNode(g) for g in default_graph] if default_graph else None,
            named_graphs=[ox.NamedNode(g) for g in named_graphs] if named_graphs else None,
            substitutions=subs or None,
        )

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def load(self, data: bytes | IO[bytes], *, format: ox.RdfFormat, graph: str | None) -> None:
        target = ox.NamedNode(graph) if graph else None
        self._store.load(data, format=format, to_graph=target)

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        # pyoxigraph commits each call on its own; an SPARQL Update is one transaction.
        ds = ox.Dataset()
        for name, quads in graphs.items():
            for q in quads:
                ds.add(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(name)))
        self._store.extend(ds)  # replaced by a single-transaction implementation

    def graphs(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ):
            counts[row["g"].value] = int(row["n"].value)
        return counts

    def dump(self, output: IO[bytes], *, format: ox.RdfFormat, graph: str | None = None) -> None:
        if graph is None:
            self._store.dump(output, format=format)
        else:
            self._store.dump(output, format=format, from_graph=ox.NamedNode(graph))
