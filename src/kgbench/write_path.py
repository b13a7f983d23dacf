"""Measurements behind the write path's design (docs/benchmarks/profiles.md), each run in its own
process so that its peak resident memory is its own.

``python -m kgbench.write_path parse (list | dataset) COUNT``: hold a parsed N-Triples body.
``python -m kgbench.write_path prepare DIR COUNT BACKGROUND``: an on-disk store with a graph of
COUNT triples to replace and BACKGROUND triples in other graphs.
``python -m kgbench.write_path replace (update | staging | diff) DIR COUNT``: replace that graph.
"""

import json
import resource
import sys
import time
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from kgservice.store.replacement import replacement_update

BASE = "https://w3id.org/thaiplan/id/"
GRAPH = ox.NamedNode(f"{BASE}graph/lao-pao-40")
STAGING = ox.NamedNode(f"urn:x-kgservice:staging:{GRAPH.value}")
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def notes(count: int, edition: str) -> Iterator[ox.Triple]:
    """Notes on a local plan's projects: IRIs and Thai text as long as real plan data's."""
    for i in range(count):
        project = ox.NamedNode(f"{BASE}plan/lao-pao-40-2566-2570/project/{i // 10}")
        text = f"บันทึก{edition} ฉบับที่ {i} ของแผนพัฒนาท้องถิ่น"
        yield ox.Triple(project, COMMENT, ox.Literal(text, language="th"))


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def parse(kind: str, count: int) -> dict[str, object]:
    body = ox.serialize(notes(count, "เดิม"), format=ox.RdfFormat.N_TRIPLES) or b""
    before, started = peak_rss(), time.perf_counter()
    quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    held = [q.triple for q in quads] if kind == "list" else ox.Dataset(quads)
    seconds = time.perf_counter() - started
    return {"held": kind, "triples": len(held), "body": len(body), "seconds": seconds,
            "growth": peak_rss() - before}  # fmt: skip


def prepare(directory: str, count: int, background: int) -> None:
    store = ox.Store(directory)
    store.bulk_extend(
        ox.Quad(
            ox.NamedNode(f"{BASE}plan/p{i // 10}"),
            COMMENT,
            ox.Literal(f"ข้อความ {i}", language="th"),
            ox.NamedNode(f"{BASE}graph/org-{i // 1600}"),
        )
        for i in range(background)
    )
    store.extend(ox.Quad(t.subject, t.predicate, t.object, GRAPH) for t in notes(count, "เดิม"))
    store.optimize()


def by_update(store: ox.Store, new: list[ox.Triple]) -> float:
    store.update("".join(replacement_update({GRAPH.value: new})))
    return 0.0


def by_staging(store: ox.Store, new: list[ox.Triple]) -> float:
    """Returns how long the staged triples were visible next to the old ones."""
    store.extend(ox.Quad(t.subject, t.predicate, t.object, STAGING) for t in new)
    staged = time.perf_counter()
    store.update(f"MOVE GRAPH {STAGING} TO {GRAPH}")
    return time.perf_counter() - staged


def by_diff(store: ox.Store, new: list[ox.Triple]) -> float:
    wanted = {ox.Quad(t.subject, t.predicate, t.object, GRAPH) for t in new}
    kept = set(store.quads_for_pattern(None, None, None, GRAPH))
    for quad in kept - wanted:
        store.remove(quad)
    store.extend(wanted - kept)
    return 0.0


DESIGNS: dict[str, Callable[[ox.Store, list[ox.Triple]], float]] = {
    "update": by_update,
    "staging": by_staging,
    "diff": by_diff,
}


def replace(design: str, directory: str, count: int) -> dict[str, object]:
    store = ox.Store(directory)
    new = list(notes(count, "ใหม่"))
    before, started = peak_rss(), time.perf_counter()
    mixed = DESIGNS[design](store, new)
    seconds = time.perf_counter() - started
    after = sum(1 for _ in store.quads_for_pattern(None, None, None, GRAPH))
    return {"design": design, "triples": count, "seconds": seconds, "mixed_seconds": mixed,
            "growth": peak_rss() - before, "peak": peak_rss(), "after": after}  # fmt: skip


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "parse":
        print(json.dumps(parse(args[0], int(args[1]))))
    elif command == "prepare":
        prepare(args[0], int(args[1]), int(args[2]))
    else:
        print(json.dumps(replace(args[0], args[1], int(args[2]))))
