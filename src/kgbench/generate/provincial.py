"""A province's office, its development plan B.E. 2566-2570 aligned with the National Strategy,
and a performance agreement between the province and its PAO."""

from kgbench.generate.areas import Area
from kgbench.generate.context import Context
from kgbench.generate.ntriples import Triples, decimal, integer, string, text, tp
from kgbench.generate.themes import DIGITAL, PROVINCIAL, ProvincialTheme

START, END = 2566, 2570
AGREEMENT_YEAR = 2567


def office_id(province: Area) -> str:
    return f"provincial-{province.code}"


def national_strategy(ctx: Context, number: int) -> str:
    return ctx.iri(f"plan/national-strategy/strategy/{number}")


def provincial_themes(ctx: Context, province: Area) -> tuple[ProvincialTheme, ...]:
    """Half the provinces add a digital-economy issue that no local plan links to."""
    extra = ctx.rng(f"provincial-{province.code}").random() < 0.5
    return PROVINCIAL + ((DIGITAL,) if extra else ())


def write_province(ctx: Context, province: Area, pao_id: str) -> tuple[Triples, dict[str, str]]:
    """The province's triples and its strategy IRI per theme key."""
    t = Triples()
    office = ctx.iri(f"org/{office_id(province)}")
    _office(t, ctx, office, province)
    plan = ctx.iri(f"plan/provincial-{province.code}-2566-2570")
    _plan(t, plan, office, province, ctx)
    strategies = {}
    for n, theme in enumerate(provincial_themes(ctx, province), 1):
        strategies[theme.key] = _strategy(t, ctx, plan, n, theme)
        ctx.counts["provincial_strategies"] += 1
    ctx.counts["unsupported_provincial_strategies"] += DIGITAL.key in strategies
    _agreement(t, ctx, province, office, ctx.iri(f"org/{pao_id}"), strategies["society"])
    return t, strategies


def _office(t: Triples, ctx: Context, office: str, province: Area) -> None:
    t.labelled(
        office,
        "RegionalAgency",
        f"สำนักงานจังหวัด{province.name_th}",
        f"{province.name_en} Provincial Office",
    )
    t.add(office, tp("organisationId"), string(office_id(province)))
    t.add(office, tp("jurisdiction"), ctx.iri(f"area/{province.code}"))
    t.add(office, tp("governmentTier"), tp("RegionalTier"))


def _plan(t: Triples, plan: str, office: str, province: Area, ctx: Context) -> None:
    t.labelled(
        plan,
        "ProvincialDevelopmentPlan",
        f"แผนพัฒนาจังหวัด{province.name_th} (พ.ศ. 2566-2570)",
        f"{province.name_en} Provincial Development Plan B.E. 2566-2570",
    )
    t.add(plan, tp("level"), tp("ProvincialLevel"))
    t.add(plan, tp("ownedBy"), office)
    t.add(plan, tp("coversArea"), ctx.iri(f"area/{province.code}"))
    t.add(plan, tp("startFiscalYear"), integer(START))
    t.add(plan, tp("endFiscalYear"), integer(END))


def _strategy(t: Triples, ctx: Context, plan: str, n: int, theme: ProvincialTheme) -> str:
    strategy = f"{plan[:-1]}/strategy/{n}>"
    t.labelled(strategy, "Strategy", theme.label_th, theme.label_en)
    t.add(strategy, tp("partOf"), plan)
    t.add(strategy, tp("sequenceNumber"), integer(n))
    for number in theme.national:
        t.add(strategy, tp("supports"), national_strategy(ctx, number))
    return strategy


def _agreement(
    t: Triples, ctx: Context, province: Area, office: str, pao: str, covers: str
) -> None:
    agreement = ctx.iri(f"agreement/performance-{province.code}-{AGREEMENT_YEAR}")
    t.labelled(
        agreement,
        "PerformanceAgreement",
        f"คำรับรองการปฏิบัติราชการ จังหวัด{province.name_th} กับองค์การบริหารส่วนจังหวัด"
        f"{province.name_th} ปีงบประมาณ {AGREEMENT_YEAR}",
    )
    t.add(agreement, tp("party"), office)
    t.add(agreement, tp("party"), pao)
    t.add(agreement, tp("covers"), covers)
    t.add(agreement, tp("startFiscalYear"), integer(AGREEMENT_YEAR))
    t.add(agreement, tp("endFiscalYear"), integer(AGREEMENT_YEAR))
    indicator = f"{agreement[:-1]}/indicator/1>"
    t.add(agreement, tp("indicator"), indicator)
    t.labelled(indicator, "OutcomeIndicator", "ร้อยละของครัวเรือนที่ผ่านเกณฑ์ความจำเป็นพื้นฐาน")
    t.add(indicator, tp("targetValue"), decimal(95))
    t.add(indicator, tp("unit"), text("ร้อยละ", "th"))
    ctx.counts["agreements"] += 1
