"""The results as JSON and as a Markdown page with medians and ratios."""

import json
from pathlib import Path

from kgservice.bench.stats import ratio

FLOOR = "pyoxigraph in-process"
NAMED = "service /queries"
SELECTIVE = {"supporting-local-plans", "linkage-chain", "unsupported-strategies",
             "strategy-coverage"}


def write_report(docs: Path, name: str, report: dict[str, object]) -> tuple[Path, Path]:
    docs.mkdir(parents=True, exist_ok=True)
    as_json = docs / f"{name}.json"
    as_json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    as_md = docs / f"{name}.md"
    as_md.write_text(markdown(report), encoding="utf-8")
    return as_md, as_json


def _ms(cell: dict[str, object] | None) -> str:
    if cell is None:
        return "-"
    if cell.get("status") != "ok":
        return str(cell.get("status"))
    return f"{cell['median_ms']} ({cell['p95_ms']})"


def _median(cell: dict[str, object] | None) -> float | None:
    if cell is None or cell.get("status") != "ok":
        return None
    return float(cell["median_ms"])  # type: ignore[arg-type]


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value}x"


def query_table(report: dict[str, object]) -> list[str]:
    queries: dict[str, dict[str, dict[str, object]]] = report["queries"]  # type: ignore[assignment]
    engines = list(report["engines"])  # type: ignore[call-overload]
    others = [e for e in engines if e not in (FLOOR, NAMED)]
    head = ["query", "rows", f"{FLOOR} ms", f"{NAMED} ms", "HTTP/floor"]
    head += [f"{e} ms" for e in others] + [f"{e}/floor" for e in others]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for label, cells in queries.items():
        floor = _median(cells.get(FLOOR))
        rows = cells.get(NAMED, {}).get("rows", cells.get(FLOOR, {}).get("rows"))
        row = [label, str(rows), _ms(cells.get(FLOOR)), _ms(cells.get(NAMED)),
               _times(ratio(_median(cells.get(NAMED)), floor))]
        row += [_ms(cells.get(e)) for e in others]
        row += [_times(ratio(_median(cells.get(e)), floor)) for e in others]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _targets(report: dict[str, object]) -> list[str]:
    queries: dict[str, dict[str, dict[str, object]]] = report["queries"]  # type: ignore[assignment]
    lines = []
    for label, cells in queries.items():
        median = _median(cells.get(NAMED))
        limit = 100 if label in SELECTIVE else 1000
        verdict = "-" if median is None else ("met" if median < limit else "missed")
        lines.append(f"| {label} | {limit} ms | {median if median is not None else '-'} | "
                     f"{verdict} |")
    return ["| query | target (median via HTTP) | measured ms | |", "| --- | --- | --- | --- |",
            *lines]


def _expected(report: dict[str, object]) -> list[str]:
    checks: dict[str, dict[str, object]] = report["expected_rows"]  # type: ignore[assignment]
    lines = ["| query | rows returned | generator states | |", "| --- | --- | --- | --- |"]
    for label, check in checks.items():
        lines.append(f"| {label} | {check['rows']} | {check['expected']} ({check['what']}) | "
                     f"{check['verdict']} |")
    return lines


def _kv(title: str, values: dict[str, object]) -> list[str]:
    return [f"**{title}**: " + ", ".join(f"{k} {v}" for k, v in values.items())]


def markdown(report: dict[str, object]) -> str:
    machine: dict[str, object] = report["machine"]  # type: ignore[assignment]
    lines = [
        f"# Benchmark: {report['scale']} scale",
        "",
        f"Run {report['started']} - {report['finished']} with `{report['command']}`.",
        "",
        f"Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, "
        f"Python {machine['python']}, {machine['system']}. Versions: "
        + ", ".join(f"{k} {v}" for k, v in machine["versions"].items() if v)  # type: ignore[attr-defined]
        + ".",
        "",
        "## Data",
        "",
        *_kv("Generated", report["data"]),  # type: ignore[arg-type]
        "",
        "## Loading (the service's on-disk store)",
        "",
        *_kv("Load", report["load"]),  # type: ignore[arg-type]
        "",
        "## Memory and start",
        "",
        "| server | start s | RSS after start MB | RSS after the queries MB | peak RSS MB |",
        "| --- | --- | --- | --- | --- |",
        *[f"| {name} | {s.get('start_s')} | {s.get('rss_after_start_mb')} | "
          f"{s.get('rss_after_queries_mb')} | {s.get('peak_rss_mb')} |"
          for name, s in report["servers"].items()],  # type: ignore[attr-defined]
        "",
        "## Named queries: median (p95) in ms, round-robin over the engines",
        "",
        "The floor runs the query with its parameters bound (`substitutions`) in pyoxigraph on a",
        "copy of the same on-disk store, serialising the results to SPARQL JSON. `service /queries`",
        "is `GET /queries/{name}` on the real service; the other HTTP columns receive the same",
        "SPARQL with the parameters written in as `VALUES`.",
        "",
        *query_table(report),
        "",
        "## Targets",
        "",
        *_targets(report),
        "",
        "## Answers the generator states",
        "",
        *_expected(report),
        "",
        "## Throughput",
        "",
        "| server | query | clients | completed | errors | seconds | requests/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[f"| {name} | {t.get('query')} | {t.get('clients')} | {t.get('completed')} | "
          f"{t.get('errors')} | {t.get('seconds')} | {t.get('requests_per_s')} |"
          for name, t in report["throughput"].items()],  # type: ignore[attr-defined]
        "",
        "## Validation of one local government's submission",
        "",
        *_kv("Against the whole graph (kgservice.validation)", report["validation"]),  # type: ignore[arg-type]
        "",
        *_kv("Naive: pyshacl over the whole graph in rdflib", report["naive_validation"]),  # type: ignore[arg-type]
        "",
    ]
    return "\n".join(lines)
