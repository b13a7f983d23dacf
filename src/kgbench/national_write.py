"""One local government's submission over a copy of the national store (docs/benchmarks/
fresh-answers.md, "A national write").

``python -m kgbench.national_write DIR ORG [N]`` PUTs ORG's own plan, as the store holds it with one
comment changed each time, N times (default 7) through the write service: the body parsed from
N-Triples as over HTTP, the writer's authority checked, the plan validated, committed with its
provenance and the derived data's changes. The first PUT replaces the plan as it was bulk-loaded.
Prints one JSON object: the first write's and the median write's wall-clock and CPU seconds.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kgservice.auth import Principal
from kgservice.namespaces import graph_iri, org_iri
from kgservice.services.documents import RdfBody, RdfDocument
from kgservice.services.writes import WriteService
from kgservice.settings import Settings
from kgservice.store import open_store

COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def bodies(plan: list[ox.Triple], subject: ox.NamedNode, times: int) -> list[RdfBody]:
    """The plan with a different comment on ``subject`` each time, as N-Triples bodies."""
    found = []
    for n in range(times):
        triples = [*plan, ox.Triple(subject, COMMENT, ox.Literal(f"revision {n}"))]
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        found.append(RdfBody([RdfDocument(data, "application/n-triples")]))
    return found


def measure(writes: WriteService, org_id: str, times: int) -> dict[str, object]:
    base = writes.settings.base_iri
    graph = graph_iri(base, org_id)
    plan = writes.content(graph)
    principal = Principal(org_iri(base, org_id), org_id)
    wall, cpu = [], []
    for body in bodies(plan, ox.NamedNode(f"{base}plan/{org_id}-note"), times):
        started, used = time.perf_counter(), time.process_time()
        writes.put(principal, graph, body)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return {
        "organisation": org_id,
        "triples": len(plan) + 1,
        "writes": times,
        "first_s": {"wall": round(wall[0], 3), "cpu": round(cpu[0], 3)},
        "median_s": {
            "wall": round(statistics.median(wall), 3),
            "cpu": round(statistics.median(cpu), 3),
        },
    }


def main(argv: list[str]) -> None:
    settings = Settings(data_dir=Path(argv[0]), load_bundled_data=False)
    store = open_store(settings)
    try:
        figures = measure(WriteService(store, settings), argv[1], int(argv[2]) if argv[2:] else 7)
    finally:
        store.close()
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
