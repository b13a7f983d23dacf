"""One project: title, part-of link, budget per fiscal year and an output indicator."""

import random
from dataclasses import dataclass

from kgbench.generate.context import Context, CopyableProject
from kgbench.generate.ntriples import RDF_TYPE, Triples, decimal, integer, text, tp
from kgbench.generate.templates import ProjectTemplate
from kgbench.generate.titles import near_duplicate

PLAN_YEARS = range(2566, 2571)
SPAN_WEIGHTS = (55, 35, 10)  # projects funded over 1, 2 or 3 fiscal years
SOURCES = ("OwnRevenue", "GeneralSubsidy", "SpecificSubsidy")
SOURCE_WEIGHTS = {"pao": (50, 30, 20), "bma": (80, 10, 10)}
LOCAL_SOURCE_WEIGHTS = (35, 45, 20)


@dataclass(frozen=True)
class ProjectSpec:
    iri: str
    number: int
    programme: str
    template: ProjectTemplate
    title: str
    years: tuple[int, ...]
    with_target: bool = True


def fiscal_years(rng: random.Random) -> tuple[int, ...]:
    span = rng.choices((1, 2, 3), SPAN_WEIGHTS)[0]
    first = rng.randint(PLAN_YEARS.start, PLAN_YEARS.stop - span)
    return tuple(range(first, first + span))


def fresh(ctx: Context, rng: random.Random, template: ProjectTemplate) -> CopyableProject:
    return CopyableProject(ctx.titles.draw(rng, template), fiscal_years(rng))


def copied(rng: random.Random, pool: list[CopyableProject]) -> CopyableProject:
    """Take a neighbour's project out of the pool and copy its title carelessly."""
    i = rng.randrange(len(pool))
    pool[i], pool[-1] = pool[-1], pool[i]
    source = pool.pop()
    return CopyableProject(near_duplicate(source.title), source.years)


def write_project(t: Triples, rng: random.Random, spec: ProjectSpec, kind: str) -> None:
    p = spec.iri
    t.labelled(p, "Project", spec.title)
    t.add(p, tp("partOf"), spec.programme)
    t.add(p, tp("sequenceNumber"), integer(spec.number))
    weights = SOURCE_WEIGHTS.get(kind, LOCAL_SOURCE_WEIGHTS)
    for year in spec.years:
        amount = rng.randint(*spec.template.amount) * 1000
        write_budget(t, p, year, amount, rng.choices(SOURCES, weights)[0])
    _indicator(t, rng, p, spec.template, spec.with_target)


def write_budget(t: Triples, project: str, year: int, amount: int, source: str) -> None:
    budget = f"{project[:-1]}/budget/{year}>"
    t.add(project, tp("budget"), budget)
    t.add(budget, RDF_TYPE, tp("BudgetAllocation"))
    t.add(budget, tp("amount"), decimal(amount))
    t.add(budget, tp("fiscalYear"), integer(year))
    t.add(budget, tp("budgetSource"), tp(source))


def _indicator(
    t: Triples, rng: random.Random, project: str, template: ProjectTemplate, with_target: bool
) -> None:
    indicator = f"{project[:-1]}/indicator/1>"
    t.add(project, tp("indicator"), indicator)
    t.labelled(indicator, "OutputIndicator", template.indicator)
    if with_target:
        t.add(indicator, tp("targetValue"), decimal(rng.randint(*template.target)))
    t.add(indicator, tp("unit"), text(template.unit_th, "th"))
