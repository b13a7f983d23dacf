"""What a start computes and keeps before its first reader asks: every named answer that needs no
parameter but a province.

That is each answer not split by province and without required parameters (computed whole) and,
for a query split by province whose only required parameter is the province, each province's
part (so that the national answer, the parts one after the other, and each province's own are
kept), all from one computation over every province. A page of a kept answer is a slice of it
(``query.paging``), so each of these first pages is the same rows in the same order as the whole
answer's, with its total. The questions that name something else (a strategy, an element, an
organisation, a fiscal year) are computed for their first reader.

``kgservice serve`` computes them before it opens its port
(``KGSERVICE_WARM_ANSWERS_BEFORE_SERVING``), as many at once as there are heavy queries' turns;
the parts of a query whose answer over every province passed the readers' time limit are then
computed after it opens, one province at a time beside the readers, as everything is without
the setting. What a restart found saved (``query.saved_answers``) is kept already and not
computed again, so a start over a store that has not changed since the last run computes
nothing.
"""

import asyncio
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgservice.errors import KgError
from kgservice.query.execution import Solutions
from kgservice.query.named import NamedQuery
from kgservice.query.partitions import PROVINCES, SERVICE, result_key
from kgservice.store import Term

if TYPE_CHECKING:  # the kept answers, which call this
    from kgservice.query.answer_cache import KeptAnswers

_LOG = logging.getLogger(__name__)


def questions(queries: Iterable[NamedQuery]) -> Iterator[NamedQuery]:
    """The queries whose answers to keep: those whose only required parameter, if any, is the
    province they are split by."""
    for query in queries:
        if not any(p.required and p is not query.partition for p in query.parameters):
            yield query


async def warm(
    kept: "KeptAnswers", queries: Iterable[NamedQuery], at_once: int, *, by_province: bool
) -> list[NamedQuery]:
    """Compute and keep the answers of ``questions``, ``at_once`` at a time; a query split by
    province ``by_province`` (each part on its own, in the provinces' order) or all its parts
    at once. The queries whose answers could not be computed so (past the readers' limits)
    are left, with a warning: they are returned."""
    found = await kept.result(PROVINCES, {}, SERVICE, kept.fresh.version())
    assert isinstance(found, Solutions)
    provinces = [row[0] for row in found.rows]
    turns = asyncio.Semaphore(at_once)

    async def answered(query: NamedQuery) -> bool:
        async with turns:
            try:
                await _kept(kept, query, provinces, by_province)
            except KgError as exc:
                _LOG.warning("kept answer %s not computed at start: %s", query.name, exc.message)
                return False
        return True

    asked = list(questions(queries))
    done = await asyncio.gather(*(answered(query) for query in asked))
    return [query for query, kept_now in zip(asked, done, strict=True) if not kept_now]


async def _kept(
    kept: "KeptAnswers", query: NamedQuery, provinces: Sequence[Term], by_province: bool
) -> None:
    """Keep ``query``'s answer: whole, or each province's part. The parts at once are the rows
    of the answer over every province, computed once and split by province (they are its rows
    in its order, the query being sorted by its province first): one query instead of one per
    province, which costs about what they cost together."""
    split = query.partition
    if split is None:
        await kept.result(query, {}, _client(query), kept.version_of(query, {}))
        return
    asks = [{split.name: province} for province in provinces]
    versions = [kept.version_of(query, bindings) for bindings in asks]  # before computing
    keys = [result_key(query, bindings) for bindings in asks]
    if by_province:
        for bindings, version in zip(asks, versions, strict=True):
            await kept.result(query, bindings, _client(query), version)
        return
    if all(kept.results.get(k, v) is not None for k, v in zip(keys, versions, strict=True)):
        return  # saved by the last run
    whole = await kept.fresh.compute(query, {}, _client(query))
    assert isinstance(whole, Solutions)
    column = whole.variables.index(split.name)
    rows: dict[str, list[ox.QuerySolution]] = {province.value: [] for province in provinces}
    for row in whole.rows:
        rows.setdefault(row[column].value, []).append(row)
    for bindings, key, version in zip(asks, keys, versions, strict=True):
        province = bindings[split.name].value
        kept.results.put(key, version, Solutions(whole.variables, rows[province]))
        kept.fresh.keep(province, key, query, bindings)


def _client(query: NamedQuery) -> str:
    """Each query its own client: one client's share of the heavy turns is one."""
    return " ".join((SERVICE, query.name))
