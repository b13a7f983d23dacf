"""The results as JSON and as a Markdown page with medians and ratios."""

import json
from pathlib import Path
from typing import Any

from kgbench.stats import ratio
from kgbench.workload import THROUGHPUT_QUERY

FLOOR = "pyoxigraph in-process"
NAMED = "service /queries"
KEPT = "service /queries, kept answer"
SELECTIVE = {
    "supporting-local-plans",
    "linkage-chain",
    "unsupported-strategies",
    "strategy-coverage",
}
Cells = dict[str, dict[str, object]]

EXPLAIN = """\
The floor runs the named query in pyoxigraph on a copy of the same on-disk store, parameters bound
as the service's store binds them, and serialises the results to SPARQL JSON; the engine does the
query's `ORDER BY`, which the service does itself on the fetched rows (`kgservice.query.ordering`),
so the service can beat the floor on big ordered answers. `service /queries` is
`GET /queries/{name}` on the real service (uvicorn on loopback) with `Cache-Control: no-cache`, so
that the service computes every answer; `kept answer` is the same request without that header
after one untimed request, served from the answer the service keeps until the data changes. The
other HTTP columns receive the same SPARQL with the parameters written in as `VALUES`. The targets
are judged on the computed answers (`service /queries`). Engines take turns query by query; the
first run of each is a warm-up when it takes under 10 s. A query stops repeating once its runs on
one engine add up to the time budget; a run over the time cap is reported as "over cap"."""


LOADS = """\
`bulk`: the harness's loader, one pyoxigraph bulk load of every generated file as one N-Quads
stream (each file in the graph named by its stem), then the ontology, shapes and reference data
through the store interface, then the service's own full refresh of the derived graph
(`kgservice.derived.upkeep`, written with one bulk insert), then the merging of the store's files
that the service starts in the background after a first start (`compact_s`); this store is the one
measured.
`service first start`: the service's own first-start loader (`kgservice.bootstrap`: every source
in one bulk load, each file in its graph, its checksum recorded after, the derived data computed
from facts gathered while loading) on the same files, into a store of its own: `total_s` until
it is ready to answer, `compacted_s` until the merging it sets going has finished."""


def write_report(docs: Path, name: str, report: dict[str, object]) -> tuple[Path, Path]:
    docs.mkdir(parents=True, exist_ok=True)
    as_json = docs / f"{name}.json"
    as_json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    as_md = docs / f"{name}.md"
    as_md.write_text(markdown(report), encoding="utf-8")
    return as_md, as_json


def _median(cell: dict[str, object] | None) -> float | None:
    if cell is None or cell.get("status") != "ok" or "median_ms" not in cell:
        return None
    return float(cell["median_ms"])  # type: ignore[arg-type]


def _ms(cell: dict[str, object] | None) -> str:
    if cell is None:
        return "-"
    if _median(cell) is None:
        return str(cell.get("status"))
    return f"{cell['median_ms']} ({cell['p95_ms']})"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value}x"


def _rows(cells: Cells) -> str:
    """The row count, or each engine's when they disagree."""
    counts = {name: c.get("rows") for name, c in cells.items() if c.get("rows") is not None}
    if len(set(counts.values())) <= 1:
        return str(next(iter(counts.values()), "-"))
    return "differ: " + ", ".join(f"{name} {n}" for name, n in counts.items())


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
        *["| " + " | ".join(row) + " |" for row in rows],
    ]


def query_table(report: dict[str, object]) -> list[str]:
    queries: dict[str, Cells] = report["queries"]  # type: ignore[assignment]
    others = [e for e in report["engines"] if e not in (FLOOR, NAMED)]  # type: ignore[attr-defined]
    head = ["query", "rows", f"{FLOOR} ms", f"{NAMED} ms", "HTTP / floor"]
    head += [f"{e} ms" for e in others] + [f"{e} / floor" for e in others]
    rows = []
    for label, cells in queries.items():
        floor = _median(cells.get(FLOOR))
        row = [
            label,
            _rows(cells),
            _ms(cells.get(FLOOR)),
            _ms(cells.get(NAMED)),
            _times(ratio(_median(cells.get(NAMED)), floor)),
        ]
        row += [_ms(cells.get(e)) for e in others]
        row += [_times(ratio(_median(cells.get(e)), floor)) for e in others]
        rows.append(row)
    return _table(head, rows)


def target_table(report: dict[str, object]) -> list[str]:
    queries: dict[str, Cells] = report["queries"]  # type: ignore[assignment]
    rows = []
    for label, cells in queries.items():
        median = _median(cells.get(NAMED))
        limit = 100 if label in SELECTIVE else 1000
        verdict = "-" if median is None else ("met" if median < limit else "missed")
        rows.append([label, f"< {limit} ms", _ms(cells.get(NAMED)), verdict])
    return _table(["query", "target (median, HTTP)", "measured ms (p95)", ""], rows)


def expected_table(report: dict[str, object]) -> list[str]:
    checks: dict[str, dict[str, object]] = report["expected_rows"]  # type: ignore[assignment]
    rows = [
        [label, str(c["rows"]), f"{c['expected']} ({c['what']})", str(c["verdict"])]
        for label, c in checks.items()
    ]
    return _table(["query", "rows returned", "the generator states", ""], rows)


def server_table(report: dict[str, object]) -> list[str]:
    servers: dict[str, dict[str, object]] = report["servers"]  # type: ignore[assignment]
    keys = (
        "status",
        "start_s",
        "rss_after_start_mb",
        "rss_after_queries_mb",
        "peak_rss_mb",
        "allocator",
    )
    rows = [[name, *(str(s.get(k, "-")) for k in keys)] for name, s in servers.items()]
    return _table(
        [
            "server",
            "status",
            "start s",
            "RSS after start MB",
            "RSS after the queries MB",
            "peak RSS MB",
            "allocator",
        ],
        rows,
    )


def throughput_table(report: dict[str, object]) -> list[str]:
    rates: dict[str, dict[str, object]] = report["throughput"]  # type: ignore[assignment]
    keys = ("query", "clients", "completed", "errors", "seconds", "requests_per_s")
    rows = [[name, *(str(t.get(k, "-")) for k in keys)] for name, t in rates.items()]
    return _table(
        ["server", "query", "clients", "completed", "errors", "seconds", "requests/s"], rows
    )


def remote_store_lines(report: dict[str, object]) -> list[str]:
    """The service over ``oxigraph serve`` and Virtuoso (``kgbench.shared_store``), if run."""
    found: dict[str, dict[str, Any]] | None = report.get("remote_stores")  # type: ignore[assignment]
    if not found:
        return []
    names = list(found)
    labels = list(next(iter(found.values()))["named_queries_ms"])
    queries = [[q, *(str(found[n]["named_queries_ms"].get(q, "-")) for n in names)] for q in labels]
    rates = [
        [n, kind, str(t["requests"]), str(t["errors"]), str(t["requests_per_s"]), _pairs(cpu)]
        for n in names
        for kind, t in found[n]["throughput"].items()
        for cpu in [t["cpu_ms_per_request"]]
    ]
    return [
        "## The service over a remote store",
        "",
        "First start (seconds): "
        + ", ".join(f"{n} {found[n]['first_start_s']}" for n in names)
        + ". Each named query through one service process, computed each time (median ms):",
        "",
        *_table(["query", *names], queries),
        "",
        f"Throughput of {THROUGHPUT_QUERY}, one service process and two over one store:",
        "",
        *_table(
            ["store", "answer, processes", "requests", "errors", "requests/s", "CPU ms/request"],
            rates,
        ),
        "",
    ]


def _pairs(values: object) -> str:
    if not isinstance(values, dict):
        return str(values)
    return ", ".join(f"{k} {_pairs(v) if isinstance(v, dict) else v}" for k, v in values.items())


def _machine(machine: dict[str, object]) -> str:
    versions = machine["versions"]
    assert isinstance(versions, dict)
    return (
        f"{machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, "
        f"Python {machine['python']}, {machine['system']}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items() if v)
    )


def markdown(report: dict[str, object]) -> str:
    data: dict[str, object] = report["data"]  # type: ignore[assignment]
    lines = [
        f"# Benchmark: {report['scale']} scale",
        "",
        f"Run {report['started']} to {report['finished']}: `{report['command']}`",
        "",
        f"Machine: {_machine(report['machine'])}.",  # type: ignore[arg-type]
        "",
        "## Data",
        "",
        *[f"- {key}: {_pairs(value)}" for key, value in data.items()],
        "",
        "## Loading into the service's on-disk store",
        "",
        LOADS,
        "",
        *[f"- {name}: {_pairs(values)}" for name, values in report["load"].items()],  # type: ignore[attr-defined]
        "",
        "## Servers: start and resident memory",
        "",
        *server_table(report),
        "",
        "## Named queries: median (p95) ms",
        "",
        EXPLAIN,
        "",
        f"Allocator of the floor's worker: {report.get('floor_allocator', '-')} (the service's is "
        "in the servers table; the same one, so that the two differ by HTTP alone).",
        "",
        *query_table(report),
        "",
        "## Targets",
        "",
        *target_table(report),
        "",
        "## Answers the generator states",
        "",
        *expected_table(report),
        "",
        "## Throughput",
        "",
        *throughput_table(report),
        "",
        *remote_store_lines(report),
        "## Validation of one local government's submission",
        "",
        f"- against the whole graph (`kgservice.validation`): {_pairs(report['validation'])}",
        f"- naive, pyshacl over the whole graph in rdflib: {_pairs(report['naive_validation'])}",
        "",
    ]
    return "\n".join(lines)
