"""The mapping from sheets and columns to the ontology, read from W3C CSV on the Web metadata.

A deployment whose form differs edits the metadata file (``KGSERVICE_SPREADSHEET_MAPPING``), not
the code. Of CSVW the mapping uses ``tables`` (one per sheet, named by ``url``), ``aboutUrl``,
``propertyUrl``, ``valueUrl``, ``datatype``, ``lang``, ``separator``, ``required``, ``default``,
``virtual`` and ``suppressOutput``; its own ``kgs:`` properties say what CSVW cannot (see the
file's ``rdfs:comment``).
"""

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from kgservice.errors import KgError

CSVW_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_VARIABLE = re.compile(r"\{\+?([A-Za-z_][A-Za-z0-9_]*)\}")


class MappingError(KgError):
    """The deployment's mapping file cannot be used."""

    code = "mapping_invalid"
    status = 500


@dataclass(frozen=True)
class Template:
    """A URI template of the RFC 6570 subset CSVW metadata uses here: ``{name}`` and ``{+name}``."""

    text: str

    @cached_property
    def variables(self) -> tuple[str, ...]:
        return tuple(_VARIABLE.findall(self.text))

    @cached_property
    def _format(self) -> str:
        """The template as a ``str.format`` pattern (other braces doubled)."""
        pieces = _VARIABLE.split(self.text)  # literal, name, literal, name, ..., literal
        literals = [p.replace("{", "{{").replace("}", "}}") for p in pieces[::2]]
        names = [f"{{{name}}}" for name in pieces[1::2]]
        return "".join(x for pair in zip(literals, [*names, ""], strict=True) for x in pair)

    def expand(self, values: dict[str, str]) -> str | None:
        """The template with ``values`` written in; None when one of its variables has none."""
        for name in self.variables:
            if not values.get(name):
                return None
        return self._format.format_map(values)

    def pattern(self, base: str) -> re.Pattern[str]:
        """A regular expression matching the IRIs this template makes, capturing the variables."""
        parts: list[str] = []
        position = 0
        for found in _VARIABLE.finditer(self.text):
            parts.append(re.escape(self.text[position : found.start()]))
            name = found.group(1)
            parts.append(re.escape(base) if name == "base" else f"(?P<{name}>[^/]+)")
            position = found.end()
        parts.append(re.escape(self.text[position:]))
        return re.compile("".join(parts) + "$")


@dataclass(frozen=True)
class Column:
    name: str
    title_th: str
    title_en: str
    about: Template
    predicate: str | None
    value: Template | None
    datatype: str
    minimum: float | None
    format: str | None
    lang: str | None
    separator: str | None
    required: bool
    default: Template | None
    virtual: bool
    suppressed: bool
    choices: tuple[str, ...]
    lookup: str | None
    fiscal_year: bool
    year_of_plan: int | None
    role: str | None

    @property
    def visible(self) -> bool:
        return not self.virtual

    @property
    def produces(self) -> bool:
        """Whether a value in this column becomes a triple."""
        return self.predicate is not None and not self.suppressed


@dataclass(frozen=True)
class Table:
    sheet: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    about: Template
    columns: tuple[Column, ...]

    @cached_property
    def visible(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.visible)

    @cached_property
    def named(self) -> frozenset[str]:
        """The columns whose values the table's templates write into IRIs."""
        templates = [t for c in self.columns for t in (c.about, c.value, c.default) if t]
        return frozenset(name for t in templates for name in t.variables)

    @cached_property
    def virtual(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.virtual)

    @cached_property
    def homes(self) -> dict[str, Column]:
        """The first visible column of each node a row makes (by the text of its template):
        where that node's rules point."""
        found: dict[str, Column] = {}
        for column in self.visible:
            found.setdefault(column.about.text, column)
        return found

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @cached_property
    def key(self) -> Column:
        """The column whose value names the row's own IRI (the last variable of ``aboutUrl``)."""
        return self.column(self.about.variables[-1])


@dataclass(frozen=True)
class Mapping:
    tables: tuple[Table, ...]

    def table(self, sheet: str) -> Table | None:
        """The table of a sheet, named by its Thai name or its English title."""
        wanted = sheet.strip().casefold()
        for table in self.tables:
            if wanted in {table.sheet.casefold(), table.title_en.casefold()}:
                return table
        return None

    def subject_patterns(self, base: str) -> list[re.Pattern[str]]:
        """What the IRIs the tables make look like: a graph's other subjects are not the sheets'."""
        templates = {c.about.text for t in self.tables for c in t.columns}
        return [Template(text).pattern(base) for text in sorted(templates)]

    @property
    def choices(self) -> list[str]:
        return sorted({iri for t in self.tables for c in t.columns for iri in c.choices})


@cache
def load_mapping(path: Path) -> Mapping:
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
        return Mapping(tuple(_table(t) for t in metadata["tables"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MappingError(f"the spreadsheet mapping {path} cannot be used: {exc!r}") from exc


def _table(description: dict[str, object]) -> Table:
    schema = _dict(description["tableSchema"])
    about = Template(str(schema["aboutUrl"]))
    title = _dict(description.get("dc:title", {}))
    text = _dict(description.get("dc:description", {}))
    columns = tuple(_column(_dict(c), about) for c in _list(schema["columns"]))
    sheet = str(description["url"])
    return Table(
        sheet,
        str(title.get("th", sheet)),
        str(title.get("en", sheet)),
        str(text.get("th", "")),
        str(text.get("en", "")),
        about,
        columns,
    )


def _column(c: dict[str, object], about: Template) -> Column:
    titles = _dict(c.get("titles", {}))
    datatype = c.get("datatype", "string")
    base = _dict(datatype).get("base", "string") if isinstance(datatype, dict) else datatype
    return Column(
        name=str(c["name"]),
        title_th=str(titles.get("th", c["name"])),
        title_en=str(titles.get("en", c["name"])),
        about=Template(str(c["aboutUrl"])) if "aboutUrl" in c else about,
        predicate=_iri(c["propertyUrl"]) if "propertyUrl" in c else None,
        value=Template(_iri(str(c["valueUrl"]))) if "valueUrl" in c else None,
        datatype=str(base),
        minimum=_number(_dict(datatype).get("minimum")) if isinstance(datatype, dict) else None,
        format=_format(datatype),
        lang=str(c["lang"]) if "lang" in c else None,
        separator=str(c["separator"]) if "separator" in c else None,
        required=bool(c.get("required", False)),
        default=Template(str(c["default"])) if "default" in c else None,
        virtual=bool(c.get("virtual", False)),
        suppressed=bool(c.get("suppressOutput", False)),
        choices=tuple(_iri(str(x)) for x in _list(c.get("kgs:choices", []))),
        lookup=str(c["kgs:lookup"]) if "kgs:lookup" in c else None,
        fiscal_year=bool(c.get("kgs:fiscalYear", False)),
        year_of_plan=int(str(c["kgs:yearOfPlan"])) if "kgs:yearOfPlan" in c else None,
        role=str(c["kgs:role"]) if "kgs:role" in c else None,
    )


def _iri(text: object) -> str:
    """A CSVW prefixed name (rdf:, rdfs:, xsd:) as its IRI; any other text as it is."""
    prefix, _, local = str(text).partition(":")
    return CSVW_PREFIXES[prefix] + local if prefix in CSVW_PREFIXES else str(text)


def _format(datatype: object) -> str | None:
    found = _dict(datatype).get("format") if isinstance(datatype, dict) else None
    return None if found is None else str(found)


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def _dict(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, found {value!r}")
    return value


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError(f"expected an array, found {value!r}")
    return value
