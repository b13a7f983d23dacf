"""Province roll-ups of the per-organisation summaries in the derived graph.

A support summary counts one local government's projects that contribute to a strategy; a budget
summary adds up their allocations in one fiscal year (``kgservice.derived.compute``). Per province
and strategy, a coverage roll-up counts the province's local governments with at least one such
project (``tp:supportingOrganisations``); per province, strategy and fiscal year, a budget roll-up
adds up their allocations (``tp:rollupAmount``) and counts the local governments behind them
(``tp:budgetOrganisations``). Questions about a province or the whole country then read a few
dozen roll-ups instead of a summary per local government.

``province_rollups`` computes every roll-up from the summaries' figures (a full refresh,
``kgservice.derived.compute``); ``changes`` corrects the stored ones by what the organisations of
some recomputed partitions add and take away (after a write). Both name a roll-up by a SHA-1 of
its key (``_node``).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from kgservice import sparql_values
from kgservice.namespaces import PREFIXES, TP
from kgservice.store import Store, union

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


def changes(
    store: Store, base: str, derived: str, graphs: Sequence[str], partition: Iterable[ox.Triple]
) -> list[str]:
    """SPARQL Update operations that bring the roll-ups in ``derived`` in step with the new
    ``partition`` of ``graphs``, to run in the same request after the partitions are replaced.

    Only the organisations those partitions summarise or place can change a roll-up, so each
    roll-up they touch is its stored figure less their contribution before and plus their
    contribution after: a few index lookups, where summing a province again reads every summary
    of its organisations. Full IRIs, no PREFIX: Oxigraph takes a prologue only at the start of a
    request."""
    new = list(partition)
    organisations = _touched(store, derived, graphs) | _summarised(new)
    if not organisations:
        return []
    before, after = _contributions(store, derived, graphs, new, sorted(organisations))
    stored = _stored(store, derived, before.provinces() | after.provinces())
    old, found = set(), set()
    for key in before.keys() | after.keys():
        node = _node(base, *key.kind_and_key())
        old |= stored.get(node, set())
        found |= _figure(node, key, stored.get(node, set()), before, after)
    return [
        union.delete_data(derived, old - found),
        union.insert_data(derived, union.lines(found - old)),
    ]


@dataclass(frozen=True)
class _Key:
    province: str
    target: str
    year: int | None = None
    """None for a coverage roll-up."""

    def kind_and_key(self) -> tuple[str, ...]:
        if self.year is None:
            return ("coverage", self.province, self.target)
        return ("province-budget", self.province, self.target, str(self.year))


@dataclass
class _Share:
    """Some organisations' part in roll-ups: who counts in each, and what they add up to."""

    organisations: dict[_Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    amounts: dict[_Key, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def keys(self) -> set[_Key]:
        return set(self.organisations)

    def provinces(self) -> set[str]:
        return {key.province for key in self.organisations}

    def add(self, places: Iterable[str], summary: "_Summary") -> None:
        for province in places:
            key = _Key(province, summary.target, summary.year)
            if summary.year is None and not summary.projects:
                continue
            self.organisations[key].add(summary.organisation)
            self.amounts[key] += summary.amount


@dataclass(frozen=True)
class _Summary:
    organisation: str
    target: str
    projects: int = 0
    year: int | None = None
    amount: Decimal = Decimal(0)


def _figure(
    node: ox.NamedNode, key: _Key, stored: set[ox.Triple], before: _Share, after: _Share
) -> set[ox.Triple]:
    """A touched roll-up's triples after the write (none when nobody counts in it any more)."""
    counted = {t.predicate.value: t.object.value for t in stored}  # type: ignore[union-attr]
    name = "supportingOrganisations" if key.year is None else "budgetOrganisations"
    organisations = (
        int(counted.get(TP + name, 0))
        - len(before.organisations.get(key, ()))
        + len(after.organisations.get(key, ()))
    )
    if organisations <= 0:
        return set()
    if key.year is None:
        count = _integer(organisations)
        return _rollup(node, key.province, key.target, supportingOrganisations=count)
    total = (
        Decimal(counted.get(TP + "rollupAmount", 0))
        - before.amounts.get(key, Decimal(0))
        + after.amounts.get(key, Decimal(0))
    )
    return _rollup(
        node,
        key.province,
        key.target,
        rollupFiscalYear=_integer(key.year),
        rollupAmount=_decimal(total),
        budgetOrganisations=_integer(organisations),
    )


def _touched(store: Store, derived: str, graphs: Sequence[str]) -> set[str]:
    """The organisations the stored partitions of ``graphs`` summarise or place."""
    text = _TOUCHED.replace("#GRAPHS", sparql_values.iris("g", graphs))
    rows = store.query(text, bindings={"derived": ox.NamedNode(derived)})
    return {row["organisation"].value for row in rows}  # type: ignore[union-attr]


def _summarised(partition: Iterable[ox.Triple]) -> set[str]:
    """The organisations a new partition summarises or places."""
    found = set()
    for t in partition:
        if t.predicate.value == TP + "summaryOrganisation":
            found.add(t.object.value)  # type: ignore[union-attr]
        elif t.predicate.value == TP + "inProvince":
            found.add(t.subject.value)  # type: ignore[union-attr]
    return found


def _contributions(
    store: Store,
    derived: str,
    graphs: Sequence[str],
    partition: list[ox.Triple],
    organisations: Sequence[str],
) -> tuple[_Share, _Share]:
    """The organisations' part in the roll-ups now and once the partitions of ``graphs`` are
    replaced by ``partition`` (which removes every derived subject from those graphs)."""
    sources: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    summaries: dict[str, _Summary] = {}
    bound = {"derived": ox.NamedNode(derived)}
    text = _CONTRIBUTIONS.replace("#VALUES", sparql_values.iris("organisation", organisations))
    for row in store.query(text, bindings=bound):  # type: ignore[union-attr]
        _read_row(row, sources, places, summaries)
    replaced = set(graphs)
    before, after = _Share(), _Share()
    for summary in summaries.values():
        before.add(places[summary.organisation], summary)
    new_places, new_summaries = _partition_contributions(partition)
    kept = {
        organisation: set() if sources[organisation] & replaced else provinces
        for organisation, provinces in places.items()
    }
    for organisation, provinces in new_places.items():
        kept.setdefault(organisation, set()).update(provinces)
    for node, summary in summaries.items():
        if not sources[node] & replaced:
            after.add(kept.get(summary.organisation, ()), summary)
    for summary in new_summaries:
        after.add(kept.get(summary.organisation, ()), summary)
    return before, after


def _read_row(
    row: ox.QuerySolution,
    sources: dict[str, set[str]],
    places: dict[str, set[str]],
    summaries: dict[str, _Summary],
) -> None:
    subject = row["s"].value
    if row["province"] is not None:
        places[subject].add(row["province"].value)
    elif row["g"] is not None:
        sources[subject].add(row["g"].value)
    else:
        organisation, target = row["organisation"].value, row["target"].value
        if row["projects"] is not None:
            summaries[subject] = _Summary(organisation, target, int(row["projects"].value))
        else:
            year, amount = int(row["year"].value), Decimal(row["amount"].value)
            summaries[subject] = _Summary(organisation, target, year=year, amount=amount)


def _partition_contributions(
    partition: list[ox.Triple],
) -> tuple[dict[str, set[str]], list[_Summary]]:
    """A new partition's placements (organisation -> provinces) and summaries."""
    places: dict[str, set[str]] = defaultdict(set)
    facts: dict[str, dict[str, str]] = defaultdict(dict)
    for t in partition:
        name = t.predicate.value.removeprefix(TP)
        if name == "inProvince":
            places[t.subject.value].add(t.object.value)  # type: ignore[union-attr]
        elif name in _SUMMARY_FACTS:
            facts[t.subject.value][name] = t.object.value  # type: ignore[union-attr]
    summaries = []
    for fact in facts.values():
        if "summaryOrganisation" not in fact:
            continue
        organisation, target = fact["summaryOrganisation"], fact["summaryTarget"]
        if "projectCount" in fact:
            summaries.append(_Summary(organisation, target, int(fact["projectCount"])))
        elif "summaryFiscalYear" in fact:
            year, amount = int(fact["summaryFiscalYear"]), Decimal(fact["summaryAmount"])
            summaries.append(_Summary(organisation, target, year=year, amount=amount))
    return places, summaries


def _stored(store: Store, derived: str, provinces: set[str]) -> dict[ox.NamedNode, set[ox.Triple]]:
    """The stored roll-ups of ``provinces``, by node."""
    found: dict[ox.NamedNode, set[ox.Triple]] = defaultdict(set)
    if not provinces:
        return found
    text = _ROLLUPS.replace("#VALUES", sparql_values.iris("province", sorted(provinces)))
    for row in store.query(text, bindings={"derived": ox.NamedNode(derived)}):  # type: ignore[union-attr]
        node = row["rollup"]
        found[node].add(ox.Triple(node, row["p"], row["o"]))
    return found


_SUMMARY_FACTS = {
    "summaryOrganisation",
    "summaryTarget",
    "projectCount",
    "summaryFiscalYear",
    "summaryAmount",
}

_TOUCHED = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?derived ?organisation WHERE {{ GRAPH ?derived {{
  {{ #GRAPHS ?s tp:sourceGraph ?g ; tp:summaryOrganisation ?organisation }}
  UNION {{ #GRAPHS ?organisation tp:sourceGraph ?g ; tp:inProvince ?province }}
}} }}"""

_CONTRIBUTIONS = f"""PREFIX tp: <{TP}>
SELECT ?derived ?s ?g ?province ?organisation ?target ?projects ?year ?amount WHERE {{
 GRAPH ?derived {{
  {{ #VALUES ?organisation tp:inProvince ?province BIND(?organisation AS ?s) }}
  UNION {{ #VALUES ?organisation tp:sourceGraph ?g BIND(?organisation AS ?s) }}
  UNION {{ #VALUES ?s tp:summaryOrganisation ?organisation ; tp:sourceGraph ?g }}
  UNION {{ #VALUES ?s tp:summaryOrganisation ?organisation ; tp:summaryTarget ?target ;
             tp:projectCount ?projects }}
  UNION {{ #VALUES ?s tp:summaryOrganisation ?organisation ; tp:summaryTarget ?target ;
             tp:summaryFiscalYear ?year ; tp:summaryAmount ?amount }}
}} }}"""
"""The VALUES go into each branch: Oxigraph joins a VALUES outside a UNION only after evaluating
the branches over the whole derived graph."""

_ROLLUPS = f"""PREFIX tp: <{TP}>
SELECT ?derived ?rollup ?p ?o WHERE {{ GRAPH ?derived {{
  #VALUES ?rollup tp:rollupProvince ?province ; ?p ?o
}} }}"""


def _node(base: str, kind: str, *key: str) -> ox.NamedNode:
    digest = hashlib.sha1(" ".join(key).encode()).hexdigest()[:20]
    return ox.NamedNode(f"{base}derived/{kind}/{digest}")


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
