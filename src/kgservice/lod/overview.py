"""The landing page's figures: plans per level, local governments, projects, budget per year."""

from dataclasses import dataclass

from kgservice.lod.labels import LabelIndex
from kgservice.lod.sparql import as_int, select
from kgservice.store import Store

PLANS_PER_LEVEL = """
SELECT ?level ?label ?rank (COUNT(DISTINCT ?plan) AS ?n) WHERE {
  ?plan tp:level ?level .
  OPTIONAL { ?level rdfs:label ?label }
  OPTIONAL { ?level tp:rank ?rank }
} GROUP BY ?level ?label ?rank
"""

LOCAL_GOVERNMENTS = """
SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a ?c . ?c rdfs:subClassOf* tp:LocalGovernment }
"""

PROJECTS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a tp:Project }"

BUDGET_PER_YEAR = """
SELECT ?fy (SUM(?amount) AS ?total) WHERE {
  { SELECT DISTINCT ?b ?fy ?amount WHERE {
      ?e tp:budget ?b . ?b tp:fiscalYear ?fy ; tp:amount ?amount } }
} GROUP BY ?fy ORDER BY ?fy
"""


@dataclass(frozen=True)
class LevelCount:
    iri: str
    label: str
    rank: int
    plans: int


@dataclass(frozen=True)
class Overview:
    levels: list[LevelCount]
    local_governments: int
    projects: int
    budget_per_year: list[tuple[int, float]]


def overview(store: Store, lang: str) -> Overview:
    rows = select(store, PLANS_PER_LEVEL)
    labels = LabelIndex()
    labels.add_rows(rows, "level", "label")
    levels = {
        r["level"].value: LevelCount(
            r["level"].value,
            labels.get(r["level"].value, lang),
            as_int(r.get("rank"), 99),
            as_int(r["n"]),
        )
        for r in rows
    }
    return Overview(
        sorted(levels.values(), key=lambda lc: lc.rank),
        as_int(select(store, LOCAL_GOVERNMENTS)[0].get("n")),
        as_int(select(store, PROJECTS)[0].get("n")),
        [(int(r["fy"].value), float(r["total"].value)) for r in select(store, BUDGET_PER_YEAR)],
    )
