"""One local government and its 5-year local development plan (B.E. 2566-2570): strategies that
support the province's strategies, programmes, projects; some projects also support another
provincial strategy directly, and some copy a neighbour's title (the planted near-duplicates)."""

import random

from kgbench.generate.context import Context, CopyableProject
from kgbench.generate.imperfections import write_imperfections
from kgbench.generate.localgov import LocalGov
from kgbench.generate.ntriples import Triples, integer, string, tp
from kgbench.generate.projects import ProjectSpec, copied, fresh, write_project
from kgbench.generate.templates import TEMPLATES
from kgbench.generate.themes import LOCAL_BY_KIND, LocalTheme

PROJECTS = {"sao": (40, 70), "mun": (75, 115), "pao": (200, 300), "bma": (380, 420)}
COPY_SHARE = 0.02
DIRECT_SUPPORT_SHARE = 0.08
PERIOD = (2566, 2570)


def write_local_plan(ctx: Context, lg: LocalGov, upward: dict[str, str]) -> Triples:
    """``upward``: the element each theme's strategy supports (provincial or national)."""
    rng = ctx.rng(lg.org_id)
    t = Triples()
    org = ctx.iri(f"org/{lg.org_id}")
    plan = ctx.iri(f"plan/{lg.org_id}-2566-2570")
    _organisation(t, ctx, lg, org)
    _plan(t, ctx, lg, org, plan)
    themes = LOCAL_BY_KIND[lg.kind]
    total = rng.randint(*PROJECTS[lg.kind])
    weights = sum(theme.weight for theme in themes)
    specs: list[ProjectSpec] = []
    for s, theme in enumerate(themes, 1):
        strategy = _strategy(t, plan, s, theme, upward)
        programmes = [
            _programme(t, plan, strategy, s, k, name) for k, name in enumerate(theme.programmes, 1)
        ]
        for _ in range(max(1, round(total * theme.weight / weights))):
            programme = programmes[len(specs) % len(programmes)]
            specs.append(_spec(ctx, rng, lg, plan, len(specs) + 1, programme, theme))
    others = sorted({upward[theme.supports] for theme in themes})
    for spec in specs:
        write_project(t, rng, spec, lg.kind)
        if rng.random() < DIRECT_SUPPORT_SHARE:
            t.add(spec.iri, tp("supports"), rng.choice(others))
    write_imperfections(ctx, rng, lg, plan, len(themes), specs)
    ctx.counts[f"org_{lg.kind}"] += 1
    ctx.counts["strategies"] += len(themes)
    ctx.counts["projects"] += len(specs)
    return t


def _organisation(t: Triples, ctx: Context, lg: LocalGov, org: str) -> None:
    t.labelled(org, lg.class_name, *lg.names())
    t.add(org, tp("organisationId"), string(lg.org_id))
    t.add(org, tp("jurisdiction"), ctx.iri(f"area/{lg.area.code}"))
    t.add(org, tp("governmentTier"), tp("LocalTier"))


def _plan(t: Triples, ctx: Context, lg: LocalGov, org: str, plan: str) -> None:
    name_th, name_en = lg.names()
    t.labelled(
        plan,
        "LocalDevelopmentPlan",
        f"แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570) {name_th}",
        f"Local Development Plan B.E. 2566-2570, {name_en}",
    )
    t.add(plan, tp("level"), tp("LocalLevel"))
    t.add(plan, tp("ownedBy"), org)
    t.add(plan, tp("coversArea"), ctx.iri(f"area/{lg.area.code}"))
    t.add(plan, tp("startFiscalYear"), integer(PERIOD[0]))
    t.add(plan, tp("endFiscalYear"), integer(PERIOD[1]))
    ctx.counts["local_plans"] += 1


def _strategy(t: Triples, plan: str, s: int, theme: LocalTheme, upward: dict[str, str]) -> str:
    strategy = f"{plan[:-1]}/strategy/{s}>"
    t.labelled(strategy, "Strategy", f"ยุทธศาสตร์ที่ {s} {theme.label_th}")
    t.add(strategy, tp("partOf"), plan)
    t.add(strategy, tp("sequenceNumber"), integer(s))
    t.add(strategy, tp("supports"), upward[theme.supports])
    return strategy


def _programme(t: Triples, plan: str, strategy: str, s: int, k: int, name: str) -> str:
    programme = f"{plan[:-1]}/programme/{s}.{k}>"
    t.labelled(programme, "Programme", name)
    t.add(programme, tp("partOf"), strategy)
    t.add(programme, tp("sequenceNumber"), integer(k))
    return programme


def _spec(
    ctx: Context,
    rng: random.Random,
    lg: LocalGov,
    plan: str,
    n: int,
    programme: str,
    theme: LocalTheme,
) -> ProjectSpec:
    template = rng.choice(TEMPLATES[theme.key])
    pool = _copy_pool(ctx, rng, lg)
    if pool:
        project = copied(rng, pool)
        ctx.counts["duplicate_pairs"] += 1
    else:
        project = fresh(ctx, rng, template)
        _offer(ctx, lg, project)
    return ProjectSpec(
        f"{plan[:-1]}/project/{n}>", n, programme, template, project.title, project.years
    )


def _copy_pool(ctx: Context, rng: random.Random, lg: LocalGov) -> list[CopyableProject] | None:
    """A neighbour's pool to copy from (the same subdistrict's municipality, else the PAO), or
    None: most projects are not copies."""
    if lg.kind not in ("mun", "sao") or rng.random() >= COPY_SHARE:
        return None
    same_area = ctx.subdistrict_pools.get(lg.area.code) if lg.kind == "sao" else None
    return same_area or ctx.province_pool or None


def _offer(ctx: Context, lg: LocalGov, project: CopyableProject) -> None:
    """An original a later neighbour may copy (each at most once: one planted pair each)."""
    if lg.kind == "pao":
        ctx.province_pool.append(project)
    elif lg.kind == "mun":
        ctx.subdistrict_pools.setdefault(lg.area.code, []).append(project)
