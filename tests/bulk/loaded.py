"""The files a test loads, and reading back what the load left in an on-disk store."""

import json
from collections import defaultdict
from pathlib import Path

from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.store.embedded import EmbeddedStore


def graphs(data_dir: Path) -> dict[str, int]:
    store = EmbeddedStore(data_dir)
    try:
        return store.graphs()
    finally:
        store.close()


_OUTSIDE_UNION = "ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
_NOT_COPIED = "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"


def default_graph_is_the_union(data_dir: Path) -> bool:
    """Whether the default graph holds exactly the triples the named graphs hold."""
    store = EmbeddedStore(data_dir)
    try:
        return not any(bool(store.query(ask)) for ask in (_OUTSIDE_UNION, _NOT_COPIED))
    finally:
        store.close()


def report(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def concatenated(files: list[Path], path: Path) -> Path:
    path.write_bytes(b"".join(p.read_bytes() for p in files))
    return path


def statements_per_graph(files: list[Path]) -> dict[str, int]:
    """Per organisation graph, its distinct statements: those of the files named after it."""
    lines: defaultdict[str, set[bytes]] = defaultdict(set)
    for path in files:
        lines[graph_iri(DEFAULT_BASE, path.stem)].update(path.read_bytes().splitlines())
    return {graph: len(statements) for graph, statements in lines.items()}
