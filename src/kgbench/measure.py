"""Latency of every query on every engine, round-robin so drift hits all engines alike."""

from dataclasses import dataclass, field
from typing import Protocol

from kgbench.client import OverCap
from kgbench.engines import BenchQuery
from kgbench.stats import summarise

WARMUP_UNDER_S = 10.0
"""A first run faster than this warms caches and is not counted. At national scale the first run
of a 2-3 s query took up to twice as long as the next ones; slower runs (rdflib-endpoint's) are
too costly to throw away."""


class Engine(Protocol):
    name: str

    def run(self, query: BenchQuery) -> tuple[float, int]: ...

    def close(self) -> None: ...


@dataclass
class Cell:
    samples: list[float] = field(default_factory=list)
    rows: int | None = None
    status: str = "ok"
    done: bool = False

    def result(self) -> dict[str, object]:
        found: dict[str, object] = {"status": self.status, "rows": self.rows}
        if self.samples:
            found.update(summarise(self.samples))
        return found


def measure(
    queries: list[BenchQuery], engines: list[Engine], *, repeats: int, budget_s: float
) -> dict[str, dict[str, dict[str, object]]]:
    """query name -> engine name -> median, p95, rows, status (ok, over cap, error)."""
    return {q.label: _one_query(q, engines, repeats, budget_s) for q in queries}


def _one_query(
    query: BenchQuery, engines: list[Engine], repeats: int, budget_s: float
) -> dict[str, dict[str, object]]:
    cells = {e.name: Cell() for e in engines}
    for round_ in range(repeats + 1):
        shift = round_ % len(engines)
        for engine in engines[shift:] + engines[:shift]:
            _once(cells[engine.name], engine, query, warmup=round_ == 0, budget_s=budget_s)
    return {name: cell.result() for name, cell in cells.items()}


def _once(cell: Cell, engine: Engine, query: BenchQuery, *, warmup: bool, budget_s: float) -> None:
    if cell.done:
        return
    try:
        seconds, rows = engine.run(query)
    except OverCap:
        cell.status, cell.done = "over cap", True
        return
    except Exception as exc:  # noqa: BLE001 - an engine's failure is a result to report
        cell.status, cell.done = f"error: {str(exc)[:160]}", True
        return
    cell.rows = rows
    if warmup and seconds < WARMUP_UNDER_S:
        return
    cell.samples.append(seconds)
    cell.done = sum(cell.samples) >= budget_s
