"""A generated provincial strategy with many supporting local plans and projects, to check that the
support diagram stays readable: 12 local governments, each with a strategy supporting the provincial
strategy, one programme and 11 projects (132 projects), each project with one budget."""

PLAN = "https://w3id.org/thaiplan/id/plan/generated-provincial-99"
STRATEGY = PLAN + "/strategy/1"
OWNERS = 12
PROJECTS_PER_OWNER = 11
BUDGET_PER_PROJECT = 100_000


def owner_name(n: int) -> str:
    return f"เทศบาลตำบลทดสอบที่ {n}"


def generated_turtle() -> str:
    lines = [
        "@prefix tp: <https://w3id.org/thaiplan/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        f"<{PLAN}> a tp:ProvincialDevelopmentPlan ; tp:level tp:ProvincialLevel ;",
        '  rdfs:label "แผนพัฒนาจังหวัดทดสอบ"@th , "Generated provincial plan"@en .',
        f"<{STRATEGY}> a tp:Strategy ; tp:partOf <{PLAN}> ;",
        '  rdfs:label "ยุทธศาสตร์ทดสอบการแสดงผล"@th , "Generated strategy"@en .',
    ]
    for n in range(1, OWNERS + 1):
        lines += _local_plan(n)
    return "\n".join(lines) + "\n"


def _local_plan(n: int) -> list[str]:
    org = f"https://w3id.org/thaiplan/id/org/generated-lao-{n}"
    plan = f"https://w3id.org/thaiplan/id/plan/generated-lao-{n}"
    lines = [
        f'<{org}> a tp:Municipality ; rdfs:label "{owner_name(n)}"@th .',
        f"<{plan}> a tp:LocalDevelopmentPlan ; tp:level tp:LocalLevel ; tp:ownedBy <{org}> ;",
        f'  rdfs:label "แผนพัฒนาท้องถิ่นของ{owner_name(n)}"@th .',
        f"<{plan}/strategy/1> a tp:Strategy ; tp:partOf <{plan}> ; tp:supports <{STRATEGY}> ;",
        f'  rdfs:label "ยุทธศาสตร์ที่ 1 ของ{owner_name(n)}"@th .',
        f"<{plan}/programme/1> a tp:Programme ; tp:partOf <{plan}/strategy/1> ;",
        f'  rdfs:label "แผนงานที่ 1 ของ{owner_name(n)}"@th .',
    ]
    for p in range(1, PROJECTS_PER_OWNER + 1):
        project = f"{plan}/project/{p}"
        lines += [
            f"<{project}> a tp:Project ; tp:partOf <{plan}/programme/1> ;",
            f'  rdfs:label "โครงการทดสอบที่ {p}"@th ; tp:budget <{project}/budget/2568> .',
            f"<{project}/budget/2568> a tp:BudgetAllocation ; tp:fiscalYear 2568 ;",
            f"  tp:amount {BUDGET_PER_PROJECT} .",
        ]
    return lines
