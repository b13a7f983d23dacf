"""A scratch store where a SPARQL Update is tried out on copies of the graphs it touches.

The store's own data is not changed: the write service reads the graphs back from the scratch
store, validates them, and commits them only if they conform. The update's default graph is a
copy of the named graph that stands for it (``home``).
"""

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kgservice.errors import BadRequest
from kgservice.query.guard import REMOTE_FAILURES, remote_failure
from kgservice.query.prepare import PreparedUpdate
from kgservice.store.base import syntax_error

Reader = Callable[[str], Iterable[ox.Triple]]


def scratch_copy(read: Reader, graphs: Iterable[str], *, home: str) -> ox.Store:
    scratch = ox.Store()
    for graph in graphs:
        target = _name(graph, home)
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in read(graph))
    return scratch


def run_update(scratch: ox.Store, update: PreparedUpdate, *, base_iri: str | None) -> None:
    """Errors of the update's text are the client's (400); those of a document that LOAD or
    SERVICE fetched from an allowed endpoint are the endpoint's (502)."""
    try:
        scratch.update(update.text, base_iri=base_iri)
    except (SyntaxError, *REMOTE_FAILURES) as exc:
        if update.remote and not _in_the_text(exc):
            raise remote_failure(update.remote, exc) from None
        if isinstance(exc, SyntaxError):
            raise syntax_error(str(exc)) from None
        raise BadRequest(f"SPARQL Update failed: {exc}") from None
    except ValueError as exc:
        raise BadRequest(f"SPARQL Update failed: {exc}") from None


def _in_the_text(error: Exception) -> bool:
    """A syntax error of the update itself; the engine places those as ``error at L:C``."""
    return isinstance(error, SyntaxError) and str(error).startswith("error at ")


def scratch_content(scratch: ox.Store, graph: str, *, home: str) -> list[ox.Triple]:
    name = _name(graph, home)
    return [q.triple for q in scratch.quads_for_pattern(None, None, None, name)]


def _name(graph: str, home: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph == home else ox.NamedNode(graph)
