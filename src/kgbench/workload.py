"""The queries a run measures: every named query, its parameters taken from the generated
country's samples; a query with optional parameters also runs once with them set."""

from kgbench.engines import BenchQuery
from kgbench.inline import inline
from kgservice.query.named import NamedQuery, bind, load_named_queries
from kgservice.settings import Settings

THROUGHPUT_QUERY = "supporting-local-plans"  # a selective query, as most of a page's
SAMPLE_FOR = {
    "strategy": "provincial_strategy",
    "element": "project",
    "province": "province",
    "fiscalYear": "fiscal_year",
    "organisation": "organisation",
}

# Row counts the generator states (manifest "expected"), per query run without options.
EXPECTED_ROWS = {
    "orphan-projects": "orphan_projects",
    "indicators-without-targets": "indicators_without_target",
    "calendar-misalignment": "out_of_period_allocations",
    "duplicate-candidates": "duplicate_pairs",
    "parallel-plans": "parallel_plan_pairs",
}


def bench_queries(settings: Settings, samples: dict[str, object]) -> list[BenchQuery]:
    found = []
    for query in load_named_queries(settings.queries_dir):
        required = {
            p.name: str(samples[SAMPLE_FOR[p.name]]) for p in query.parameters if p.required
        }
        found.append(_bench_query(query, query.name, required))
        optional = {
            p.name: str(samples[SAMPLE_FOR[p.name]])
            for p in query.parameters
            if not p.required and p.name in SAMPLE_FOR
        }
        if optional:
            label = f"{query.name} ({', '.join(optional)})"
            found.append(_bench_query(query, label, {**required, **optional}))
    return found


def _bench_query(query: NamedQuery, label: str, params: dict[str, str]) -> BenchQuery:
    terms = {name: str(term) for name, term in bind(query, params).items()}
    return BenchQuery(label, query.name, query.text, params, terms, inline(query.text, terms))
