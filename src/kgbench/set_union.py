"""Measurements behind the default graph as a copy of the set union (docs/benchmarks/set-union.md).

``python -m kgbench.set_union copy STORE``: build the copy in a store written without it.
``python -m kgbench.set_union bulk DIR DATA FILES``: bulk-load the first FILES organisations'
files of DATA into fresh stores under DIR, with each quad's copy beside it, without the copy, and
without it followed by the copy built once; store sizes too.
``python -m kgbench.set_union replace STORE FILE ROUNDS``: replace one organisation's graph
(``graph/{FILE stem}``) with a revision of FILE's content and back, and with the same content:
by the difference (what the service does), by drop and insert with the copy kept, and as it was
without the copy, taking turns.
``python -m kgbench.set_union queries STORE BAG MANIFEST ROUNDS``: every named query on STORE's
default graph (the copy) and on Oxigraph's union default graph (a bag) of BAG, the same store
without the copy (Oxigraph's union takes in the default graph too), taking turns; each query's
figures on stderr as they come.
Each prints one JSON object; the store is used as it is (copy it first).
"""

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from kgbench.workload import bench_queries
from kgservice.allocator import restart_with_mimalloc
from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store import union
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.replacement import replacement_update


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of ``run``."""
    wall, used = time.perf_counter(), cpu()
    run()
    return time.perf_counter() - wall, cpu() - used


def copy(directory: Path) -> dict[str, object]:
    store = EmbeddedStore(directory)
    wall, used = timed(lambda: union.ensure(store))
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"copy_s": round(wall, 1), "cpu_s": round(used, 1), "peak_rss_mb": peak}


def bulk(directory: Path, data: Path, files: int) -> dict[str, object]:
    sources = sorted(data.glob("*.nt"))[:files]

    def quads() -> Iterator[ox.Quad]:
        for path in sources:
            graph = ox.NamedNode(graph_iri(Settings().base_iri, path.stem))
            for t in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    found: dict[str, object] = {}
    for name in ("beside", "none", "once"):
        store = EmbeddedStore(directory / name)
        engine = store._store  # noqa: SLF001 - the engine's own loads, with and without copies
        quads_of = union.with_copies(quads()) if name == "beside" else quads()
        found[f"{name}_load"] = timed(partial(engine.bulk_extend, quads_of))
        if name == "once":  # the copy made at the end, from the named graphs read back
            held = union.copies(engine.quads_for_pattern(None, None, None))
            found["once_copy"] = timed(partial(engine.bulk_extend, held))
        store.close()
        found[f"{name}_bytes"] = sum(f.stat().st_size for f in (directory / name).rglob("*"))
    return {"files": len(sources), **found}


def _bag_update(graph: str, content: list[ox.Triple]) -> str:
    """The replacement as it was without the copy: drop, insert, nothing else."""
    lines = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in content)
    name = ox.NamedNode(graph)
    return f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{lines}}} }}"


def _edited(content: list[ox.Triple]) -> list[ox.Triple]:
    """``content`` with every third Thai or English label changed, as a revised plan."""
    edited = []
    for n, t in enumerate(content):
        o = t.object
        if n % 3 == 0 and isinstance(o, ox.Literal) and o.language:
            o = ox.Literal(o.value + " (แก้ไข)", language=o.language)
        edited.append(ox.Triple(t.subject, t.predicate, o))
    return edited


def replace(directory: Path, file: Path, rounds: int) -> dict[str, object]:
    """Each way of replacing the graph, in turn: to a revised plan and back to the plan
    (``edit``), and to the same plan again (``same``)."""
    store = EmbeddedStore(directory)
    engine = store._store  # noqa: SLF001 - the former update texts, run as they were
    graph = graph_iri(Settings().base_iri, file.stem)
    content = [q.triple for q in ox.parse(path=file, format=ox.RdfFormat.N_TRIPLES)]
    revised = _edited(content)
    variants: dict[str, Callable[[list[ox.Triple]], None]] = {
        "difference": lambda new: store.replace_graphs({graph: new}),
        "drop": lambda new: engine.update("".join(replacement_update({graph: new}))),
        "bag": lambda new: engine.update(_bag_update(graph, new)),
    }
    times: dict[str, list[tuple[float, float]]] = {}
    for _ in range(rounds):
        for name, run in variants.items():
            for case, new in (("edit", revised), ("edit", content), ("same", content)):
                times.setdefault(f"{name}_{case}", []).append(timed(partial(run, new)))
    changed = sum(a != b for a, b in zip(content, revised, strict=True))
    store.close()
    return {"graph": graph, "triples": len(content), "edited": changed, **_medians(times)}


def queries(directory: Path, bag: Path, manifest: Path, rounds: int) -> dict[str, object]:
    stores = {"copy": (ox.Store(str(directory)), False), "bag": (ox.Store(str(bag)), True)}
    samples = json.loads(manifest.read_text())["samples"]
    found: dict[str, object] = {}
    for query in bench_queries(Settings(), samples):
        times: dict[str, list[tuple[float, float]]] = {"copy": [], "bag": []}
        rows: dict[str, int] = {}
        for _ in range(rounds):
            for name, (store, as_union) in stores.items():
                run = _runner(store, query.inline_text, as_union, rows, name)
                times[name].append(timed(run))
        found[query.label] = {**_medians(times), "rows": rows}
        print(json.dumps({query.label: found[query.label]}), file=sys.stderr, flush=True)
    return found


def _runner(
    store: ox.Store, text: str, as_union: bool, rows: dict[str, int], name: str
) -> Callable[[], None]:
    def run() -> None:
        rows[name] = _count(store.query(text, use_default_graph_as_union=as_union))

    return run


def _count(result: object) -> int:
    return sum(1 for _ in result) if isinstance(result, Iterable) else 1


def _medians(times: dict[str, list[tuple[float, float]]]) -> dict[str, float]:
    found = {}
    for name, samples in times.items():
        found[f"{name}_ms"] = round(1000 * statistics.median(w for w, _ in samples), 1)
        found[f"{name}_cpu_ms"] = round(1000 * statistics.median(c for _, c in samples), 1)
    return found


if __name__ == "__main__":
    restart_with_mimalloc()  # as ``kgservice serve`` does
    mode, *args = sys.argv[1:]
    if mode == "copy":
        print(json.dumps(copy(Path(args[0]))))
    elif mode == "bulk":
        print(json.dumps(bulk(Path(args[0]), Path(args[1]), int(args[2]))))
    elif mode == "replace":
        print(json.dumps(replace(Path(args[0]), Path(args[1]), int(args[2]))))
    else:
        found = queries(Path(args[0]), Path(args[1]), Path(args[2]), int(args[3]))
        print(json.dumps(found, indent=1))
