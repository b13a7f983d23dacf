"""The search index at scale: its build, one write's update, its size against the store's, and
``/search`` and ``/search/suggest`` through HTTP against the label scan ``/search`` used before
(``CONTAINS(LCASE(...))`` over every label, sent to ``/sparql``), in one run on one store.

    python -m kgbench.search --store DIR [--index DIR] [--no-build] [--rounds N] [--json FILE]

The store must hold its data already (a copy of the national store: the index is built beside
it, and one graph is indexed again as after a write).
"""

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgbench.client import HttpClient, OverCap
from kgbench.servers import kgservice_serve
from kgbench.stats import summarise
from kgservice.search import SearchIndex, SearchUpkeep
from kgservice.settings import Settings
from kgservice.store import open_store

SEARCHES = ["ถนน คสล.", "ขุดลอกคลอง", "ผู้สูงอายุ", "ประปาหมู่บ้าน", "กล้องวงจรปิด", "zzqx"]
PREFIXES = ["ถนน", "ขุดล", "ผู้สูง", "ประปา", "โครงการก่อ", "zzqx"]
WRITTEN = "https://w3id.org/thaiplan/id/graph/lao-sao-400102"
"""One local government's graph, indexed again as after its write."""
SCAN = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label ?type WHERE {
  ?s rdfs:label ?label .
  FILTER(STRSTARTS(STR(?s), %(base)s) && CONTAINS(LCASE(STR(?label)), %(needle)s))
  OPTIONAL { ?s a ?type }
} LIMIT 400"""
"""The query of the former /search (lod/search.py before the index), its two values written in."""


def main() -> None:
    args = _arguments()
    logging.basicConfig(level=logging.INFO)
    index_dir = args.index or args.store.with_name(args.store.name + "-search")
    figures: dict[str, Any] = {}
    if not args.no_build:
        figures["build"] = _build(args.store, index_dir)
        print(json.dumps(figures, indent=1), flush=True)
    server = kgservice_serve(
        args.store,
        {"KGSERVICE_SEARCH_INDEX_DIR": str(index_dir), "KGSERVICE_QUERY_TIMEOUT_S": "60"},
    )
    server.start(args.work / "search-bench.log")
    client = HttpClient(server.port, 120)
    try:
        figures["http"] = _http(client, args.rounds, args.scan_rounds)
    finally:
        client.close()
        server.stop()
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kgbench.search", description=__doc__)
    parser.add_argument("--store", type=Path, required=True, help="a store holding its data")
    parser.add_argument("--index", type=Path, help="the index directory (default: beside it)")
    parser.add_argument("--no-build", action="store_true", help="measure the index as it is")
    parser.add_argument("--rounds", type=int, default=20, help="requests per search and prefix")
    parser.add_argument("--scan-rounds", type=int, default=1, help="requests per former scan")
    parser.add_argument("--work", type=Path, default=Path("var/bench"), help="for the log")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


def _build(store_dir: Path, index_dir: Path) -> dict[str, Any]:
    settings = Settings(data_dir=store_dir, load_bundled_data=False, search_index_dir=index_dir)
    store = open_store(settings)
    index = SearchIndex(index_dir)
    try:
        upkeep = SearchUpkeep(index, store, settings)
        wall, cpu = time.perf_counter(), time.process_time()
        upkeep.rebuild()
        built = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
        updates = []
        for n in range(5):
            started = time.perf_counter()
            upkeep.written([WRITTEN], f"urn:kgbench:search:{n}")
            updates.append(time.perf_counter() - started)
        return {
            **{k: round(v, 1) for k, v in built.items()},
            "resources": index.searcher().num_docs,
            "index_mb": round(index.size_bytes() / 2**20, 1),
            "store_mb": round(_size(store_dir) / 2**20, 1),
            "update_one_graph": summarise(updates),
        }
    finally:
        index.close()
        store.close()


def _http(client: HttpClient, rounds: int, scan_rounds: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"search": {}, "suggest": {}, "former_scan": {}}
    for text in SEARCHES:
        figures["search"][text] = _timed(client, "/search", {"q": text, "format": "json"}, rounds)
    for prefix in PREFIXES:
        figures["suggest"][prefix] = _timed(client, "/search/suggest", {"q": prefix}, rounds)
    base = "https://w3id.org/thaiplan/id/"
    for text in SEARCHES:
        query = SCAN % {"base": ox.Literal(base), "needle": ox.Literal(text.lower())}
        scan = {"query": query}
        figures["former_scan"][text] = _timed(client, "/sparql", scan, scan_rounds, warm=False)
        print(text, figures["former_scan"][text], flush=True)
    return figures


def _timed(
    client: HttpClient, path: str, params: dict[str, str], rounds: int, *, warm: bool = True
) -> dict[str, Any]:
    try:
        if warm:
            client.get(path, params)
        return summarise([client.get(path, params)[0] for _ in range(rounds)])
    except OverCap as exc:
        return {"over_cap": str(exc)[:100]}


def _size(directory: Path) -> int:
    return sum(f.stat().st_size for f in directory.iterdir() if f.is_file())


if __name__ == "__main__":
    main()
