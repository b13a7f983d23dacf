"""Validating a batch of routed statements, and the report a load writes of what it found.

A batch is validated as one submission (``kgservice.validation.validate``) with the store as its
context, its own graphs' stored content left out; each result is put down to the graphs that
hold statements about its focus node. The store is asked about the batch's own subjects only
where a graph outside the batch described them when the load began (``bulk.described``). The
report is JSON Lines, one result a line.
"""

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from kgservice.bulk.described import Described
from kgservice.bulk.ownership import Ownership
from kgservice.bulk.routing import Unplaced
from kgservice.settings import Settings
from kgservice.store import Store, Term
from kgservice.validation import ValidationResult, validate
from kgservice.validation.report import term_text
from kgservice.validation.working import Working


@dataclass(frozen=True)
class Finding:
    graph: str
    organisation: str | None
    result: ValidationResult

    def to_json(self) -> dict[str, object]:
        result = self.result
        return {
            "organisation": self.organisation,
            "graph": self.graph,
            "rule": result.rule_id,
            "severity": result.severity_name,
            "focusNode": term_text(result.focus),
            "path": term_text(result.path),
            "value": term_text(result.value),
            "message": {lang: result.message(lang) for lang in ("th", "en")},
        }


def check(
    store: Store,
    settings: Settings,
    batch: Working,
    ownership: Ownership,
    described: Described,
    *,
    written: Collection[str],
) -> list[Finding]:
    """Every result on ``batch``, once per graph holding statements about its focus node, with
    the organisation that owns the focus node. The stored content of the batch's graphs is left
    out of the context, except in ``written``: graphs this load has begun to write."""
    replacing = batch.graphs() - set(written)
    alone = described.alone(replacing)
    report = validate(store, batch, settings=settings, replacing=replacing, alone=alone)
    return [
        Finding(graph, _owner(ownership, result.focus), result)
        for result in report.results
        for graph in sorted(batch.graphs_of(result.focus))
    ]


def _owner(ownership: Ownership, focus: Term) -> str | None:
    return ownership.owner(focus.value) if isinstance(focus, ox.NamedNode) else None


def refused(findings: Iterable[Finding]) -> set[str]:
    """Graphs with a violation (warnings are advice)."""
    return {f.graph for f in findings if f.result.severity_name == "Violation"}


@dataclass
class Report:
    """The JSON Lines report file and the counts for the summary."""

    out: TextIO
    by_rule: Counter[tuple[str, str]] = field(default_factory=Counter)
    graphs_by_rule: defaultdict[tuple[str, str], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )

    @classmethod
    def open(cls, path: Path) -> "Report":
        return cls(path.open("w", encoding="utf-8"))

    def write(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            key = (finding.result.rule_id, finding.result.severity_name)
            self.by_rule[key] += 1
            self.graphs_by_rule[key].add(finding.graph)
            self._line(finding.to_json())

    def write_unplaced(self, unplaced: Unplaced) -> None:
        message = {
            "th": "ไม่พบองค์กรเจ้าของข้อมูล ข้อความนี้ไม่ได้โหลด",
            "en": "no organisation owns this subject (no tp:ownedBy or tp:partOf chain to one); "
            "its statements were not loaded",
        }
        for subject, count in unplaced.subjects.items():
            self._line(
                {
                    "organisation": None,
                    "graph": None,
                    "rule": "unplaced",
                    "severity": "Violation",
                    "focusNode": subject,
                    "statements": count,
                    "message": message,
                }
            )

    def _line(self, entry: dict[str, object]) -> None:
        self.out.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.out.close()

    def summary(self) -> list[str]:
        """One line per rule: how many results, in how many graphs."""
        if not self.by_rule:
            return []
        rows = [("rule", "severity", "results", "graphs")]
        rows += [
            (rule, severity, f"{n:,}", f"{len(self.graphs_by_rule[(rule, severity)]):,}")
            for (rule, severity), n in sorted(self.by_rule.items())
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        return [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
