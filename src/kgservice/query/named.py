"""Named queries: ``queries/{name}.rq`` files with a header of ``#+`` comment lines.

The header, before the query text::

    #+ summary: English summary
    #+ summary_th: สรุปภาษาไทย
    #+ param: NAME TYPE required|optional DESCRIPTION
    #+ partition: NAME
    #+ rows-of: NAME [NAME...]

TYPE is ``iri``, ``integer`` or ``string``. Each parameter is the SPARQL variable ``?NAME``, bound
at run time as an RDF term (never pasted into the text); an optional one left out stays unbound.

``partition`` names an IRI parameter that every row of the answer binds (a province): the answer
splits into one part per value, kept apart (``kgservice.query.partitions``), so that a write
outdates only the parts it touches. Where the parameter is optional the answer without it is the
parts one after the other, so the query must be sorted by it first.

``rows-of`` names the variables that bind, in each row, the organisations whose data the row
shows (a project's owner, its twin's owner): a write then renews a part, or an answer not split
(kept by the store's version), only in the rows of the organisations it reaches, each computed
with the variable bound to one of them. A row that no organisation's data makes (an agreement's
indicator) names, in another of these variables, the resource outside any plan it shows.

Where the query's own text, with one of those variables bound, would still read every row (a
plan paired with every other plan of its area; the organisation in an ``OPTIONAL``), a second
statement of it, ``rows/{name}.rq`` beside it, computes the rows of one value bound: it must
select the same variables in the same order and, bound, give exactly the rows of the whole
answer that show that value (``tests/test_rows_statements.py``).
"""

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import BadRequest, KgError, NotFound
from kgservice.query.ordering import Condition
from kgservice.query.paging import PARAMETERS as PAGING
from kgservice.query.prepare import PreparedQuery, prepare
from kgservice.settings import Settings
from kgservice.store import Term

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
TYPES = ("iri", "integer", "string")
_HEADER = re.compile(r"#\+\s*([\w-]+)\s*:\s*(.*)")
_PARAM = re.compile(r"(\w+)\s+(\w+)\s+(required|optional)\s*(.*)")
_INTEGER = re.compile(r"[+-]?\d+")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
RESERVED = ("format", *PAGING)
"""Request parameters of every named query, which no query's own parameter may be called."""


class QueryFileError(KgError):
    """A named query file whose header cannot be read (a fault of the deployment)."""

    code = "query_file"


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: dict[str, str]
    parameters: tuple[Parameter, ...]
    text: str
    prepared: PreparedQuery
    """The text prepared once, when the file is read."""
    partition: Parameter | None = None
    """The parameter whose value each row's part of the answer is (``#+ partition``)."""
    rows_of: tuple[str, ...] = ()
    """The variables binding the organisations each row shows (``#+ rows-of``)."""
    rows: "NamedQuery | None" = None
    """The statement that computes the rows of one value of a ``rows_of`` variable, where it is
    not this query's own (``rows/{name}.rq``)."""

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "summary": self.summary,
            "parameters": [p.__dict__ for p in self.parameters],
        }


ROWS = "rows"
"""The directory, beside the named queries, of the statements of their rows by organisation."""


def load_named_queries(directory: Path) -> list[NamedQuery]:
    """Every ``*.rq`` file of ``directory``, sorted by name, each with the statement of its rows
    by organisation in ``rows/`` where there is one."""
    return [_load(path) for path in sorted(directory.glob("*.rq"))]


def _load(path: Path) -> NamedQuery:
    rows = path.parent / ROWS / path.name
    query = parse(path.stem, path.read_text("utf-8"))
    if not rows.exists():
        return query
    if not query.rows_of:
        raise QueryFileError(f"{ROWS}/{path.name}: {path.name} names no rows-of variable")
    statement = parse(f"{path.stem} ({ROWS})", rows.read_text("utf-8"))
    for name in query.rows_of:
        _rows_of(statement.name, name, statement.prepared)
    return replace(query, rows=statement)


def parse(name: str, text: str) -> NamedQuery:
    summary: dict[str, str] = {}
    parameters: list[Parameter] = []
    partition, rows_of = "", ""
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match is None:
            continue
        key, value = match.groups()
        if key == "param":
            parameters.append(_parameter(name, value))
        elif key == "partition":
            partition = value.strip()
        elif key == "rows-of":
            rows_of = value
        elif key.startswith("summary"):
            summary[key.removeprefix("summary").removeprefix("_") or "en"] = value.strip()
    prepared = prepare(text)
    split = _partition(name, partition, parameters, prepared) if partition else None
    owners = tuple(_rows_of(name, rows_of, prepared)) if rows_of else ()
    return NamedQuery(name, summary, tuple(parameters), text, prepared, split, owners)


def _parameter(query: str, value: str) -> Parameter:
    match = _PARAM.fullmatch(value.strip())
    if match is None or match.group(2) not in TYPES:
        raise QueryFileError(f"{query}.rq: cannot read parameter line '{value}'")
    name, type_, required, description = match.groups()
    if name in RESERVED:
        raise QueryFileError(f"{query}.rq: parameter name '{name}' is reserved for every query")
    return Parameter(name, type_, required == "required", description)


def _partition(
    query: str, name: str, parameters: list[Parameter], prepared: PreparedQuery
) -> Parameter:
    """The partition parameter, if the answer can be put together from its parts."""
    found = next((p for p in parameters if p.name == name and p.type == "iri"), None)
    if found is None:
        raise QueryFileError(f"{query}.rq: partition '{name}' is no IRI parameter")
    if not found.required and prepared.order[:1] != (Condition(name, descending=False),):
        raise QueryFileError(f"{query}.rq: partition '{name}' must come first in ORDER BY")
    return found


def _rows_of(query: str, names: str, prepared: PreparedQuery) -> list[str]:
    """The ``rows-of`` variables, each a variable the query binds in its pattern."""
    found = [name.removeprefix("?") for name in names.split()]
    for name in found:
        if f"?{name}" not in prepared.text:
            raise QueryFileError(f"{query}.rq: rows-of '{name}' is no variable of the query")
    return found


@cache
def catalogue(directory: Path) -> dict[str, NamedQuery]:
    """The named queries of ``directory`` by name, sorted, read once."""
    return {q.name: q for q in load_named_queries(directory)}


def find(name: str, directory: Path | None = None) -> NamedQuery:
    query = catalogue(directory or Settings().queries_dir).get(name)
    if query is None:
        raise NotFound(f"no named query '{name}'", query=name)
    return query


def bind(query: NamedQuery, params: dict[str, str]) -> dict[str, Term]:
    """RDF terms for ``params``; a missing required or wrongly typed parameter is a BadRequest."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise BadRequest(
            f"unknown parameter '{unknown[0]}' for query '{query.name}'", parameter=unknown[0]
        )
    missing = [p.name for p in query.parameters if p.required and not params.get(p.name)]
    if missing:
        raise BadRequest(f"missing required parameter '{missing[0]}'", parameter=missing[0])
    return {name: term(known[name], value) for name, value in params.items() if value != ""}


def term(parameter: Parameter, value: str) -> Term:
    if parameter.type == "iri":
        if not _ABSOLUTE_IRI.fullmatch(value):
            raise _wrong_type(parameter, value, "an absolute IRI")
        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise _wrong_type(parameter, value, "an absolute IRI") from exc
    if parameter.type == "integer":
        if not _INTEGER.fullmatch(value.strip()):
            raise _wrong_type(parameter, value, "an integer")
        return ox.Literal(str(int(value)), datatype=XSD_INTEGER)
    return ox.Literal(value)


def _wrong_type(parameter: Parameter, value: str, expected: str) -> BadRequest:
    return BadRequest(
        f"parameter '{parameter.name}' must be {expected}, not '{value}'",
        parameter=parameter.name,
    )
