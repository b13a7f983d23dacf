"""An organisation's graph as the sheets of the mapping: the inverse of ``convert``, so that a
sheet exported and imported again changes nothing."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import unquote

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES
from kgservice.spreadsheets.cells import CellValue
from kgservice.spreadsheets.mapping import Column, Mapping, Table
from kgservice.spreadsheets.reading import Sheet
from kgservice.spreadsheets.vocabulary import Context

RDF_TYPE = PREFIXES["rdf"] + "type"
SEQUENCE = "https://w3id.org/thaiplan/ontology#sequenceNumber"
Graph = dict[str, dict[str, list[ox.NamedNode | ox.Literal]]]


def tabulate(mapping: Mapping, triples: Iterable[ox.Triple], context: Context) -> list[Sheet]:
    """One sheet per table: Thai headings, English headings, then the rows, in plan order."""
    graph: Graph = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and not isinstance(t.object, ox.BlankNode):
            graph[t.subject.value][t.predicate.value].append(t.object)  # type: ignore[arg-type]
    starts = _plan_starts(mapping.tables[0], graph, context.base)
    return [_sheet(table, graph, context, starts) for table in mapping.tables]


def headings(table: Table) -> list[list[CellValue]]:
    return [[c.title_th for c in table.visible], [c.title_en for c in table.visible]]


def _plan_starts(table: Table, graph: Graph, base: str) -> dict[str, int]:
    start = next(c for c in table.visible if c.fiscal_year)
    pattern = table.about.pattern(base)
    found: dict[str, int] = {}
    for subject, properties in graph.items():
        match = pattern.match(subject)
        years = properties.get(start.predicate or "", [])
        if match and years:
            found[match.group("plan")] = int(years[0].value)
    return found


def _sheet(table: Table, graph: Graph, context: Context, starts: dict[str, int]) -> Sheet:
    pattern = table.about.pattern(context.base)
    rows = []
    for subject in graph:
        match = pattern.match(subject)
        if match and RDF_TYPE in graph[subject]:
            variables = {"base": context.base, **match.groupdict()}
            _add_years(table, variables, starts)
            rows.append((_order(graph, subject, variables), _row(table, graph, context, variables)))
    return Sheet(table.sheet, [*headings(table), *(row for _, row in sorted(rows))])


def _add_years(table: Table, variables: dict[str, str], starts: dict[str, int]) -> None:
    start = starts.get(variables.get("plan", ""))
    for column in table.columns:
        if start is not None and column.year_of_plan is not None:
            variables[f"_year{column.year_of_plan}"] = str(start + column.year_of_plan - 1)


def _order(graph: Graph, subject: str, variables: dict[str, str]) -> tuple[object, ...]:
    number = graph[subject].get(SEQUENCE, [])
    return (variables.get("plan", ""), int(number[0].value) if number else 0, subject)


def _row(
    table: Table, graph: Graph, context: Context, variables: dict[str, str]
) -> list[CellValue]:
    return [_cell(c, graph, context, variables) for c in table.visible]


def _cell(column: Column, graph: Graph, context: Context, variables: dict[str, str]) -> CellValue:
    if column.suppressed or column.role == "plan":
        return unquote(variables[column.name]) if column.name in variables else None
    subject = column.about.expand(variables)
    if subject is None or column.predicate is None:
        return None
    values = [
        v
        for v in graph.get(subject, {}).get(column.predicate, [])
        if column.lang is None or (isinstance(v, ox.Literal) and v.language == column.lang)
    ]
    shown = [_shown(column, v, context) for v in sorted(values, key=str)]
    if not shown:
        return None
    if column.separator:
        return f"{column.separator} ".join(str(s) for s in shown)
    return shown[0]


def _shown(column: Column, term: ox.NamedNode | ox.Literal, context: Context) -> CellValue:
    if isinstance(term, ox.NamedNode):
        if column.choices:
            return context.choices.label(term.value)
        if column.lookup:
            return context.higher.label(term.value)
        if column.value is not None:
            match = column.value.pattern(context.base).match(term.value)
            if match and column.name in match.groupdict():
                return unquote(match.group(column.name))
        return term.value
    if column.datatype == "integer":
        return int(term.value)
    if column.datatype == "decimal":
        number = Decimal(term.value)
        return int(number) if number == number.to_integral_value() else float(number)
    return term.value
