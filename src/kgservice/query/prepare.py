"""A query (or an update) prepared once: its text read into everything the later steps need.

``prepare(text)`` tokenizes the text at most once and keeps the result for the texts seen last (a
client sends the same query again and again; a named query is prepared when it is loaded). The
guard checks the prepared query's ``remote`` operations, the store runs its ``engine`` text with
parameters written in by ``binding``, and ``execution.evaluate`` sorts the rows by its ``order``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from kgservice.query import binding
from kgservice.query.binding import Sites, Term
from kgservice.query.ordering import Condition, final_order
from kgservice.query.text import (
    Remote,
    candidates,
    may_hold,
    remote_operations,
    tokens,
    update_dataset,
)

LONGEST = 64 * 1024
"""Characters: a longer text keeps its ORDER BY and is not kept here (up to 256 texts are)."""

_KEYWORDS = candidates("ORDER", "SERVICE", "LOAD")
_UPDATE_KEYWORDS = candidates("SERVICE", "LOAD", "USING", "WITH", "WHERE")


@dataclass(frozen=True)
class PreparedQuery:
    text: str
    """The query as given."""
    engine: str
    """What the engine runs: ``text`` less the final ORDER BY that the service does itself."""
    order: tuple[Condition, ...]
    """That ORDER BY's conditions, for ``execution.evaluate``; empty when the engine sorts."""
    remote: tuple[Remote, ...]
    """The SERVICE and LOAD operations it names, for ``guard``."""
    sites: Sites | None
    """Where parameters are written into ``engine``; None until a binding needs them."""

    def bound(self, bindings: Mapping[str, Term] | None = None) -> str:
        """The engine text with ``bindings`` (variable name -> term) written in."""
        if not bindings:
            return self.engine
        return binding.bind(self.engine, self.sites or _sites(self.engine), bindings)


def prepare(text: str, *, engine_sorts: bool = False) -> PreparedQuery:
    """``text`` read once. ``engine_sorts``: keep a final ORDER BY in the engine text, for a
    caller that runs the store directly instead of through ``execution.evaluate``."""
    if len(text) > LONGEST:
        return _read(text, engine_sorts=True)
    return _kept(text, engine_sorts)


@lru_cache(maxsize=256)
def _kept(text: str, engine_sorts: bool) -> PreparedQuery:
    return _read(text, engine_sorts=engine_sorts)


def _read(text: str, *, engine_sorts: bool) -> PreparedQuery:
    if not may_hold(text, _KEYWORDS):  # most queries: nothing here needs the tokens
        return PreparedQuery(text, text, (), (), None)
    found = list(tokens(text))
    order = None if engine_sorts else final_order(found)
    end = len(text) if order is None else order.start
    return PreparedQuery(
        text,
        text[:end],
        order.conditions if order is not None else (),
        tuple(remote_operations(found)),
        binding.sites(found, end),
    )


@lru_cache(maxsize=256)
def _sites(engine: str) -> Sites:
    """For a text that ``_read`` had no reason to tokenize, read when it is first bound."""
    return binding.sites(list(tokens(engine)), len(engine))


@dataclass(frozen=True)
class PreparedUpdate:
    """A SPARQL Update read once, for the guard (``remote``) and for the protocol's dataset
    (``services.update_dataset``)."""

    text: str
    remote: tuple[Remote, ...]
    """The SERVICE and LOAD operations it names."""
    own_dataset: bool
    """Whether it names its dataset with USING or WITH."""
    wheres: tuple[int, ...]
    """Where each top-level WHERE of a DELETE/INSERT operation starts in ``text``."""


def prepare_update(text: str) -> PreparedUpdate:
    if not may_hold(text, _UPDATE_KEYWORDS):  # INSERT DATA, DROP, ...: nothing to read here
        return PreparedUpdate(text, (), False, ())
    found = list(tokens(text))
    own, wheres = update_dataset(found)
    return PreparedUpdate(text, tuple(remote_operations(found)), own, tuple(wheres))
