"""Province roll-ups of the per-organisation summaries in the derived graph.

A support summary counts one local government's projects that contribute to a strategy; a budget
summary adds up their allocations in one fiscal year (``kgservice.derived.compute``). Per province
and strategy, a coverage roll-up counts the province's local governments with at least one such
project (``tp:supportingOrganisations``); per province, strategy and fiscal year, a budget roll-up
adds up their allocations (``tp:rollupAmount``) and counts the local governments behind them
(``tp:budgetOrganisations``). Questions about a province or the whole country then read a few
dozen roll-ups instead of a summary per local government.

The same roll-ups come from two places that must agree: ``province_rollups`` computes them in
Python from the summaries' figures (a full refresh, ``kgservice.derived.compute``), ``update``
recomputes some provinces' roll-ups in the store with SPARQL (after a write). Both name a roll-up
by a SHA-1 of its key, written the same way.
"""

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES, TP
from kgservice.store import union

_XSD = PREFIXES["xsd"]


Counts = dict[tuple[str, str, str], int]
"""(graph, local government, strategy) -> its supporting projects."""
Sums = dict[tuple[str, str, str, int], Decimal]
"""(graph, local government, strategy, fiscal year) -> their budget."""


@dataclass
class _Budget:
    total: Decimal = Decimal(0)
    organisations: set[str] = field(default_factory=set)


def province_rollups(
    base: str, counts: Counts, sums: Sums, provinces: dict[str, str]
) -> set[ox.Triple]:
    """Every province's roll-ups from the summaries' figures; ``provinces``: organisation ->
    the province it is in."""
    covered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_, organisation, target), projects in counts.items():
        where = provinces.get(organisation)
        if where is not None and projects:
            covered[(where, target)].add(organisation)
    budgets: dict[tuple[str, str, int], _Budget] = defaultdict(_Budget)
    for (_, organisation, target, year), amount in sums.items():
        where = provinces.get(organisation)
        if where is not None:
            budget = budgets[(where, target, year)]
            budget.total += amount
            budget.organisations.add(organisation)
    found: set[ox.Triple] = set()
    for (where, target), organisations in covered.items():
        node = _node(base, "coverage", where, target)
        found |= _rollup(node, where, target, supportingOrganisations=_integer(len(organisations)))
    for (where, target, year), budget in budgets.items():
        node = _node(base, "province-budget", where, target, str(year))
        found |= _rollup(
            node,
            where,
            target,
            rollupFiscalYear=_integer(year),
            rollupAmount=_decimal(budget.total),
            budgetOrganisations=_integer(len(budget.organisations)),
        )
    return found


def update(base: str, derived: str, provinces: Iterable[str]) -> str:
    """SPARQL Update operations that recompute the roll-ups of ``provinces`` from the summaries
    in ``derived`` (to run after the summaries are up to date, in the same request). Full IRIs,
    no PREFIX: Oxigraph takes a prologue only at the start of a request."""
    values = "VALUES ?province { " + " ".join(str(ox.NamedNode(p)) for p in provinces) + " }"
    d = str(ox.NamedNode(derived))
    rollups = f"{values} GRAPH {d} {{ ?rollup tp:rollupProvince ?province ; ?p ?o }}"
    coverage = f"""
  {{ SELECT ?province ?target (COUNT(DISTINCT ?organisation) AS ?organisations) WHERE {{
      GRAPH {d} {{ {values} ?organisation tp:inProvince ?province .
        ?summary tp:summaryOrganisation ?organisation ; tp:summaryTarget ?target ;
          tp:projectCount ?projects }}
      FILTER(?projects > 0)
    }} GROUP BY ?province ?target }}
  {_bind_node(base, "coverage", "STR(?province), ' ', STR(?target)")}
"""
    budgets = f"""
  {{ SELECT ?province ?target ?year (SUM(?amount) AS ?total)
         (COUNT(DISTINCT ?organisation) AS ?organisations) WHERE {{
      GRAPH {d} {{ {values} ?organisation tp:inProvince ?province .
        ?summary tp:summaryOrganisation ?organisation ; tp:summaryTarget ?target ;
          tp:summaryFiscalYear ?year ; tp:summaryAmount ?amount }}
    }} GROUP BY ?province ?target ?year }}
  {_bind_node(base, "province-budget", "STR(?province), ' ', STR(?target), ' ', STR(?year)")}
"""
    text = f"""{union.delete(derived, "?rollup ?p ?o", rollups)} ;
{union.insert(derived, _COVERAGE, coverage)} ;
{union.insert(derived, _BUDGET, budgets)}"""
    return re.sub(r"\btp:(\w+)", lambda m: str(ox.NamedNode(TP + m.group(1))), text)


_COVERAGE = """?rollup tp:rollupProvince ?province ; tp:rollupTarget ?target ;
  tp:supportingOrganisations ?organisations ."""
_BUDGET = """?rollup tp:rollupProvince ?province ; tp:rollupTarget ?target ;
  tp:rollupFiscalYear ?year ; tp:rollupAmount ?total ; tp:budgetOrganisations ?organisations ."""


def _node(base: str, kind: str, *key: str) -> ox.NamedNode:
    digest = hashlib.sha1(" ".join(key).encode()).hexdigest()[:20]
    return ox.NamedNode(f"{base}derived/{kind}/{digest}")


def _bind_node(base: str, kind: str, key: str) -> str:
    prefix = f"{base}derived/{kind}/"
    return f'BIND(IRI(CONCAT("{prefix}", SUBSTR(SHA1(CONCAT({key})), 1, 20))) AS ?rollup)'


def _rollup(node: ox.NamedNode, province: str, target: str, **values: ox.Literal) -> set[ox.Triple]:
    found = {
        ox.Triple(node, ox.NamedNode(TP + "rollupProvince"), ox.NamedNode(province)),
        ox.Triple(node, ox.NamedNode(TP + "rollupTarget"), ox.NamedNode(target)),
    }
    return found | {ox.Triple(node, ox.NamedNode(TP + k), v) for k, v in values.items()}


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))


def _decimal(value: Decimal) -> ox.Literal:
    """The lexical form SPARQL's SUM gives (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return ox.Literal(text, datatype=ox.NamedNode(_XSD + "decimal"))
