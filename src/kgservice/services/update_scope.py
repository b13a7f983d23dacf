"""Which graphs a SPARQL Update touches, found by parsing it before anything runs.

The write service uses this to check permissions and to copy only those graphs into a scratch
store where the update is tried out.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from kgservice.errors import QuerySyntaxError
from kgservice.store.base import syntax_error

DEFAULT = "DEFAULT"
"""Stands for the update's default graph (SPARQL's ``DEFAULT`` keyword or unnamed triples)."""


@dataclass
class UpdateScope:
    written: set[str] = field(default_factory=set)
    read: set[str] = field(default_factory=set)
    fetches: set[str] = field(default_factory=set)
    all_graphs: bool = False
    """Touches graphs it does not name: ``CLEAR ALL``, ``DROP NAMED``, ``GRAPH ?g`` templates."""


def update_scope(text: str, *, base_iri: str) -> UpdateScope:
    scope = UpdateScope()
    for op in _operations(text, base_iri):
        _OPERATIONS[op.name](op, scope)
    return scope


def _operations(text: str, base_iri: str) -> list[CompValue]:
    try:
        parsed = parseUpdate(text)
        if "request" not in parsed:
            return []  # only a prologue: a valid update that does nothing
        return list(translateUpdate(parsed, base=base_iri).algebra)
    except ParseException as exc:
        raise engine_syntax_error(text) or QuerySyntaxError(
            f"SPARQL Update syntax error: {exc.msg}", line=exc.lineno, column=exc.col
        ) from None
    except Exception as exc:  # rdflib reports e.g. an undeclared prefix as a bare Exception
        raise engine_syntax_error(text) or QuerySyntaxError(f"SPARQL Update error: {exc}") from None


def engine_syntax_error(text: str) -> QuerySyntaxError | None:
    """The engine's error, at the engine's position, for an update rdflib cannot read; None when
    the engine reads it. A line holding only a backtick, which no update can contain outside a
    string or a comment, is added at its end, so the engine never runs it."""
    try:
        ox.Store().update(text + _NEVER_VALID)
    except SyntaxError as exc:
        error = syntax_error(str(exc))
        if (error.details["line"], error.details["column"]) != (text.count("\n") + 2, 1):
            return error
    return None


_NEVER_VALID = "\n`"


def _data(op: CompValue, scope: UpdateScope, default: str = DEFAULT) -> None:
    for graph in op.quads or {}:
        _write(scope, graph)
    if op.triples:
        scope.written.add(default)


def _modify(op: CompValue, scope: UpdateScope) -> None:
    default = str(op.withClause) if op.withClause else DEFAULT
    for clause in (op.delete, op.insert):
        if clause is not None:
            _data(clause, scope, default)
    scope.read.add(default)
    for using in op.using or []:
        scope.read.add(str(using.default or using.named))
    _walk_pattern(op.where, scope)


def _load(op: CompValue, scope: UpdateScope) -> None:
    scope.fetches.add(str(op.iri))
    _write(scope, op.graphiri or DEFAULT)


def _graph_management(op: CompValue, scope: UpdateScope) -> None:
    if op.graphiri in ("ALL", "NAMED"):
        scope.all_graphs = True
    _write(scope, op.graphiri)


def _transfer(op: CompValue, scope: UpdateScope) -> None:
    source, target = (str(g) for g in op.graph)
    (scope.written if op.name == "Move" else scope.read).add(source)
    scope.written.add(target)


def _write(scope: UpdateScope, graph: object) -> None:
    if isinstance(graph, URIRef) or graph == DEFAULT:
        scope.written.add(str(graph))
    elif graph != "NAMED":
        scope.all_graphs = True


def _walk_pattern(node: object, scope: UpdateScope) -> None:
    if isinstance(node, CompValue):
        term = node.get("term")
        if node.name in ("Graph", "GraphGraphPattern") and isinstance(term, URIRef):
            scope.read.add(str(term))
        elif node.name == "ServiceGraphPattern":
            scope.fetches.add(str(term))
        _walk_children(node.values(), scope)
    elif isinstance(node, list | tuple):
        _walk_children(node, scope)


def _walk_children(children: Iterable[object], scope: UpdateScope) -> None:
    for child in children:
        _walk_pattern(child, scope)


_OPERATIONS = {
    "InsertData": _data,
    "DeleteData": _data,
    "DeleteWhere": _data,
    "Modify": _modify,
    "Load": _load,
    "Clear": _graph_management,
    "Drop": _graph_management,
    "Create": _graph_management,
    "Add": _transfer,
    "Copy": _transfer,
    "Move": _transfer,
}
