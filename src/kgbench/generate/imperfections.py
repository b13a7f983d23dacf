"""Imperfect records of the kind imported legacy plans contain, kept in a file of their own:
unlinked projects (under a strategy linked to nothing, as legacy imports arrive), allocations
outside the plan's period, and indicators without a target value."""

import random

from kgbench.generate.context import Context
from kgbench.generate.localgov import LocalGov
from kgbench.generate.ntriples import integer, tp
from kgbench.generate.projects import ProjectSpec, fresh, write_budget, write_project
from kgbench.generate.templates import TEMPLATES

ORPHAN_PLAN_SHARE = 0.25  # local plans with a block of unlinked projects ...
ORPHAN_BLOCK_SHARE = 0.2  # ... of this size relative to their linked projects: ~5% overall
LATE_BUDGET_SHARE = 0.03  # every PAO and this share of the others: one out-of-period allocation
NO_TARGET_EVERY = 10  # every tenth unlinked project's indicator lacks a target value
OUT_OF_PERIOD_YEARS = (2565, 2571)
THEMES = sorted(TEMPLATES)


def write_imperfections(
    ctx: Context,
    rng: random.Random,
    lg: LocalGov,
    plan: str,
    strategies: int,
    specs: list[ProjectSpec],
) -> None:
    if rng.random() < ORPHAN_PLAN_SHARE:
        count = max(1, round(len(specs) * ORPHAN_BLOCK_SHARE))
        _orphans(ctx, rng, lg.kind, plan, strategies + 1, len(specs), count)
    if lg.kind == "pao" or rng.random() < LATE_BUDGET_SHARE:
        spec = rng.choice(specs)
        year = rng.choice(OUT_OF_PERIOD_YEARS)
        write_budget(ctx.imperfect, spec.iri, year, rng.randint(10, 500) * 1000, "OwnRevenue")
        ctx.counts["out_of_period_allocations"] += 1


def _orphans(
    ctx: Context, rng: random.Random, kind: str, plan: str, s: int, numbered: int, count: int
) -> None:
    t = ctx.imperfect
    strategy = f"{plan[:-1]}/strategy/{s}>"
    t.labelled(strategy, "Strategy", f"ยุทธศาสตร์ที่ {s} โครงการที่นำเข้าจากระบบเดิม")
    t.add(strategy, tp("partOf"), plan)
    t.add(strategy, tp("sequenceNumber"), integer(s))
    programme = f"{plan[:-1]}/programme/{s}.1>"
    t.labelled(programme, "Programme", "แผนงานอื่น ๆ")
    t.add(programme, tp("partOf"), strategy)
    t.add(programme, tp("sequenceNumber"), integer(1))
    for n in range(numbered + 1, numbered + count + 1):
        template = rng.choice(TEMPLATES[rng.choice(THEMES)])
        project = fresh(ctx, rng, template)
        with_target = ctx.counts["orphan_projects"] % NO_TARGET_EVERY != 0
        spec = ProjectSpec(
            f"{plan[:-1]}/project/{n}>",
            n,
            programme,
            template,
            project.title,
            project.years,
            with_target,
        )
        write_project(t, rng, spec, kind)
        ctx.counts["orphan_projects"] += 1
        ctx.counts["indicators_without_target"] += not with_target
