"""What a start computes and keeps before its first reader asks: every named answer that needs no
parameter but a province.

That is each answer not split by province and without required parameters (computed whole) and,
for a query split by province whose other parameters are optional, each province's part (so that
the national answer, the parts one after the other, and each province's own are kept). A page of
a kept answer is a slice of it (``query.paging``), so each of these first pages is the same rows in
the same order as the whole answer's, with its total. The questions that name something else (a
strategy, an element, an organisation, a fiscal year) are computed for their first reader.

``kgservice serve`` computes them before it opens its port
(``KGSERVICE_WARM_ANSWERS_BEFORE_SERVING``), as many at once as there are heavy queries' turns,
or after it, one at a time beside the readers. What a restart found saved
(``query.saved_answers``) is kept already and not computed again, so a start over a store that
has not changed since the last run computes nothing.
"""

import asyncio
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from kgservice.errors import KgError
from kgservice.query.execution import Solutions
from kgservice.query.named import NamedQuery
from kgservice.query.partitions import PROVINCES, SERVICE, result_key
from kgservice.store import Term

if TYPE_CHECKING:  # the kept answers, which call this
    from kgservice.query.answer_cache import KeptAnswers

Question = tuple[NamedQuery, dict[str, Term]]
_LOG = logging.getLogger(__name__)


def questions(queries: Iterable[NamedQuery], provinces: Sequence[Term]) -> Iterator[Question]:
    """The questions to keep answered: each query's whole answer, or one per province."""
    for query in queries:
        split = query.partition
        others = [p for p in query.parameters if p.required and p is not split]
        if others:
            continue
        if split is None:
            yield query, {}
        else:
            yield from ((query, {split.name: province}) for province in provinces)


async def warm(kept: "KeptAnswers", queries: Iterable[NamedQuery], at_once: int) -> int:
    """Compute and keep the answers of ``questions``, ``at_once`` at a time: how many were
    computed or found kept. One that cannot be computed (past the readers' limits) is left for
    its first reader, with a warning."""
    provinces = await kept.result(PROVINCES, {}, SERVICE, kept.fresh.version())
    assert isinstance(provinces, Solutions)
    turns = asyncio.Semaphore(at_once)

    async def answered(query: NamedQuery, bindings: dict[str, Term]) -> bool:
        key = result_key(query, bindings)
        client = " ".join((SERVICE, *key))  # each its own: one client's share is one heavy turn
        async with turns:
            try:
                await kept.result(query, bindings, client, kept.version_of(query, bindings))
            except KgError as exc:
                _LOG.warning("kept answer %s not computed at start: %s", key, exc.message)
                return False
        return True

    asked = questions(queries, [row[0] for row in provinces.rows])
    done = await asyncio.gather(*(answered(query, bindings) for query, bindings in asked))
    return sum(done)
