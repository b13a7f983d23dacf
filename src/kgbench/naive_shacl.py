"""The naive way, for comparison: pyshacl over the whole graph in rdflib.
``python -m kgbench.naive_shacl DUMP ONTOLOGY_DIR SHAPES_DIR`` prints one JSON line per
finished phase, so a run stopped at the time cap still says how far it got."""

import json
import sys
import time
from pathlib import Path

import rdflib
from pyshacl import validate


def _graph(files: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def main(dump: Path, ontology: Path, shapes: Path) -> None:
    start = time.perf_counter()
    data = rdflib.Graph()
    for s, p, o, _ in rdflib.Dataset().parse(dump, format="nquads").quads():
        data.add((s, p, o))
    print(json.dumps({"phase": "parse", "seconds": time.perf_counter() - start}), flush=True)
    mark = time.perf_counter()
    conforms, _, _ = validate(
        data,
        shacl_graph=_graph(sorted(shapes.glob("*.ttl"))),
        ont_graph=_graph(sorted(ontology.glob("*.ttl"))),
        inference="none",
        allow_warnings=True,
    )
    print(
        json.dumps(
            {
                "phase": "validate",
                "seconds": time.perf_counter() - mark,
                "total_s": time.perf_counter() - start,
                "conforms": conforms,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
