"""The load being measured: ``python -m kgbench.load_store STORE DATA [--all-bundled]``
fills an empty on-disk store the way the service keeps it (ontology, shapes and the bundled
reference data in their named graphs, each generated file in ``graph/{stem}``, then the derived
graph) and prints the phase times and the peak resident memory as JSON. ``--all-bundled`` takes
the bundled samples too (the benchmark of the bundled data alone)."""

import gc
import json
import re
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kgbench.nquads import open_stream
from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store import Store, open_store

ILLUSTRATIVE = re.compile(r"\blao-|\bprovincial-\d")


def reference_files(settings: Settings, *, illustrative: bool = False) -> list[tuple[Path, str]]:
    """(file, graph name): the ontology, the shapes and the bundled reference data.

    Bundled files about particular local governments or provinces (the samples, the lecture's
    example, legacy imports) are left out: the generated country has the same organisations and
    plans, and its stated answer sizes count only what it generated."""
    files = [(p, "ontology") for p in sorted(settings.ontology_dir.glob("*.ttl"))]
    files += [(p, "shapes") for p in sorted(settings.shapes_dir.glob("*.ttl"))]
    if illustrative:
        return files + [(p, p.stem) for p in sorted(settings.bundled_data_dir.rglob("*.ttl"))]
    files += [
        (p, p.stem)
        for p in sorted(settings.bundled_data_dir.glob("*.ttl"))
        if not ILLUSTRATIVE.search(p.read_text("utf-8"))
    ]
    return files


def load_reference(store: Store, settings: Settings, *, illustrative: bool = False) -> None:
    for path, name in reference_files(settings, illustrative=illustrative):
        store.load(
            path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph_iri(settings.base_iri, name)
        )


def bulk_load_generated(store_dir: Path, data: Path, base: str) -> None:
    store = ox.Store(str(store_dir))
    files = sorted(data.glob("*.nt")) + sorted(data.glob("imperfections/*.nt"))
    store.bulk_load(open_stream(files, base), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    gc.collect()


def refresh_derived(settings: Settings) -> None:
    """The derived graph by the service's own full refresh (``kgservice.derived.upkeep``)."""
    from kgservice.derived import upkeep

    store = open_store(settings)
    upkeep.refresh(store, settings)
    store.close()


def compact(settings: Settings) -> None:
    """The store's files merged, as the service does in the background after its first start;
    the queries are measured on the store as it is once that has finished."""
    store = open_store(settings)
    store.compact()
    store.close()  # waits for the compaction


def main(store_dir: Path, data: Path, *, illustrative: bool, resume: bool) -> dict[str, object]:
    """``resume``: the generated and reference data are in the store already (an earlier run
    stopped after loading them); only the derived graph is computed."""
    settings = Settings(data_dir=store_dir, memory=False)
    times: dict[str, float | None] = {"generated_s": None, "reference_s": None}
    start = time.perf_counter()
    if not resume:
        bulk_load_generated(store_dir, data, settings.base_iri)
        times["generated_s"] = time.perf_counter() - start
    if not resume:
        mark = time.perf_counter()
        store = open_store(settings)
        load_reference(store, settings, illustrative=illustrative)
        store.close()
        del store
        gc.collect()
        times["reference_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    refresh_derived(settings)
    gc.collect()
    times["derived_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    compact(settings)
    times["compact_s"] = time.perf_counter() - mark
    times["total_s"] = time.perf_counter() - start
    store = open_store(settings)
    graphs = store.graphs()
    store.close()
    return {
        **{k: None if v is None else round(v, 2) for k, v in times.items()},
        "derived_triples": graphs.get(graph_iri(settings.base_iri, "derived"), 0),
        "triples": sum(graphs.values()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    flags = sys.argv[3:]
    print(
        json.dumps(
            main(
                Path(sys.argv[1]),
                Path(sys.argv[2]),
                illustrative="--all-bundled" in flags,
                resume="--resume" in flags,
            )
        )
    )
