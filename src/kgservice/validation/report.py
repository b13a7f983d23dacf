"""The validation report: results with messages in Thai and English, as JSON or a SHACL graph."""

import re
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.store import Term

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SEVERITIES = ("Violation", "Warning", "Info")
_RULE_ID = re.compile(r"#(R\d\d)\b")


def sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult. ``rule`` is the IRI of the shape that produced it."""

    rule: str
    severity: str
    focus: Term
    path: ox.NamedNode | ox.BlankNode | None
    value: Term | None
    messages: dict[str, str] = field(hash=False, compare=False)
    component: str = ""
    path_triples: tuple[ox.Triple, ...] = field(default=(), hash=False, compare=False)

    @property
    def rule_id(self) -> str:
        """The stable rule ID, e.g. ``R07`` for ``tps:R07-fiscal-year``."""
        found = _RULE_ID.search(self.rule)
        return found.group(1) if found else self.rule

    @property
    def severity_name(self) -> str:
        return self.severity.removeprefix(SH)

    def message(self, lang: str) -> str:
        for choice in (lang, "th", "en", ""):
            if choice in self.messages:
                return self.messages[choice]
        return next(iter(self.messages.values()), "")

    def to_json(self, lang: str) -> dict[str, object]:
        return {
            "rule": self.rule_id,
            "shape": self.rule,
            "severity": self.severity_name,
            "focus": term_text(self.focus),
            "path": term_text(self.path),
            "value": term_text(self.value),
            "message": self.message(lang),
        }

    def sort_key(self) -> tuple[str, ...]:
        return (self.rule, str(self.focus), str(self.path), str(self.value))


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]

    @property
    def conforms(self) -> bool:
        """Conforms when nothing is a violation; warnings and infos are advice."""
        return not any(r.severity_name == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        found = Counter(r.severity_name for r in self.results)
        return {name.lower(): found.get(name, 0) for name in SEVERITIES}

    def to_json(self, lang: str = "th") -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [r.to_json(lang) for r in self.results],
        }

    def to_rdf(self) -> list[ox.Triple]:
        """The report as a SHACL validation report graph."""
        report = ox.BlankNode()
        conforms = ox.Literal("true" if self.conforms else "false", datatype=XSD_BOOLEAN)
        triples = [
            ox.Triple(report, RDF_TYPE, sh("ValidationReport")),
            ox.Triple(report, sh("conforms"), conforms),
        ]
        for result in self.results:
            node = ox.BlankNode()
            triples.append(ox.Triple(report, sh("result"), node))
            triples.extend(result_triples(node, result))
        return triples


XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
# Components that say what a value is (its type, kind, class): the one kept when a value breaks
# several constraints of a shape, as "abc"^^xsd:integer breaks datatype, min and max at once.
_FIRST_COMPONENTS = tuple(
    f"{SH}{name}ConstraintComponent" for name in ("Datatype", "NodeKind", "Class")
)


def on_nodes(results: Iterable[ValidationResult], nodes: Container[Term]) -> ValidationReport:
    """The results on ``nodes`` (a submission's own), each once, in a stable order."""
    kept = {r for r in results if r.focus in nodes}
    return ValidationReport(tuple(sorted(kept, key=lambda r: r.sort_key())))


def one_per_violation(results: Iterable[ValidationResult]) -> tuple[ValidationResult, ...]:
    """One result per shape, focus node, path and value, whatever number of the shape's
    constraints the value breaks: SHACL reports each, a reader needs one."""
    kept: dict[tuple[object, ...], ValidationResult] = {}
    for result in sorted(results, key=lambda r: (r.sort_key(), _rank(r.component))):
        kept.setdefault((result.rule, result.focus, result.path, result.value), result)
    return tuple(kept.values())


def _rank(component: str) -> tuple[int, str]:
    first = _FIRST_COMPONENTS.index(component) if component in _FIRST_COMPONENTS else None
    return (first if first is not None else len(_FIRST_COMPONENTS), component)


def result_triples(node: ox.BlankNode, result: ValidationResult) -> list[ox.Triple]:
    triples = [
        ox.Triple(node, RDF_TYPE, sh("ValidationResult")),
        ox.Triple(node, sh("focusNode"), result.focus),
        ox.Triple(node, sh("resultSeverity"), ox.NamedNode(result.severity)),
        ox.Triple(node, sh("sourceShape"), ox.NamedNode(result.rule)),
    ]
    if result.component:
        component = ox.NamedNode(result.component)
        triples.append(ox.Triple(node, sh("sourceConstraintComponent"), component))
    if result.path is not None:
        triples.append(ox.Triple(node, sh("resultPath"), result.path))
        triples.extend(result.path_triples)
    if result.value is not None:
        triples.append(ox.Triple(node, sh("value"), result.value))
    for lang, text in sorted(result.messages.items()):
        message = ox.Literal(text, language=lang) if lang else ox.Literal(text)
        triples.append(ox.Triple(node, sh("resultMessage"), message))
    return triples


def term_text(term: Term | None) -> str | None:
    """How a term reads in JSON: an IRI or a literal's lexical form; blank nodes as ``_:id``."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return str(term)
    return term.value
