"""What a sheet's cells may name: code-list concepts by label, and the elements of higher-level
plans an organisation's plan may support, matched by name with the closest name suggested."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.namespaces import PREFIXES, TP
from kgservice.spreadsheets.cells import THAI_DIGITS
from kgservice.store import Store
from kgservice.store.base import solutions

LABELS = """
SELECT ?term ?th ?en WHERE {
  VALUES ?term { %s }
  OPTIONAL { ?term rdfs:label ?th FILTER(lang(?th) = "th") }
  OPTIONAL { ?term rdfs:label ?en FILTER(lang(?en) = "en") }
}"""
# Plans above the local level that cover the organisation's province or no area (national
# plans), then their elements: what a local strategy, programme or project may support. Two
# queries, since the engine would otherwise follow tp:partOf+ from every element in the store.
HIGHER_PLANS = """
SELECT ?plan WHERE {
  ?level tp:rank ?rank . FILTER(?rank < ?below)
  ?plan tp:level ?level .
  OPTIONAL { ?plan tp:coversArea ?covered }
  FILTER(!BOUND(?covered) || ?covered = ?province)
}"""
ELEMENTS = """
SELECT DISTINCT ?element ?th ?en WHERE {
  ?element tp:partOf+ ?plan ; rdfs:label ?th . FILTER(lang(?th) = "th")
  OPTIONAL { ?element rdfs:label ?en FILTER(lang(?en) = "en") }
}"""
PROVINCE = "SELECT ?area WHERE { ?org tp:jurisdiction ?area }"
LOCAL_RANK = 5
SUGGESTION_CUTOFF = 0.6


def normal(name: str) -> str:
    """A name as compared: Thai digits as Arabic, whitespace collapsed, case folded."""
    return " ".join(name.translate(THAI_DIGITS).split()).casefold()


@dataclass(frozen=True)
class Term:
    iri: str
    th: str
    en: str


@dataclass
class Names:
    """Terms by every name a cell may give them: Thai label, English label, IRI."""

    terms: list[Term]
    by_name: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for term in self.terms:
            for name in {term.th, term.en, term.iri, term.iri.rpartition("#")[2]} - {""}:
                self.by_name.setdefault(normal(name), []).append(term.iri)

    def find(self, name: str) -> str | None:
        found = self.by_name.get(normal(name), [])
        return found[0] if len(set(found)) == 1 else None

    def closest(self, name: str) -> str | None:
        labels = [t.th for t in self.terms if t.th]
        close = difflib.get_close_matches(name, labels, n=1, cutoff=SUGGESTION_CUTOFF)
        return close[0] if close else None

    def label(self, iri: str) -> str:
        """What a cell shows for ``iri``: its Thai label when that names it alone, else the IRI."""
        term = next((t for t in self.terms if t.iri == iri), None)
        return term.th if term and term.th and self.find(term.th) == iri else iri


@dataclass(frozen=True)
class Context:
    """What a conversion either way needs besides the sheets: where IRIs go, whose they are,
    and the names cells may give."""

    base: str
    org_id: str
    choices: Names
    higher: Names


def context(store: Store, base: str, org_id: str, choices: list[str]) -> Context:
    org = f"{base}org/{org_id}"
    return Context(base, org_id, concept_names(store, choices), higher_elements(store, org, base))


def concept_names(store: Store, iris: Iterable[str]) -> Names:
    values = " ".join(f"<{iri}>" for iri in iris)
    rows = list(solutions(store.query(_prefixed(LABELS % values))))
    return Names([_term(row, "term") for row in rows])


def higher_elements(store: Store, org_iri: str, base: str) -> Names:
    """Elements of higher-level plans in the organisation's province or the whole country."""
    area = [
        row["area"].value
        for row in solutions(
            store.query(_prefixed(PROVINCE), bindings={"org": ox.NamedNode(org_iri)})
        )
    ]
    code = area[0].removeprefix(f"{base}area/")[:2] if area else ""
    bindings: dict[str, ox.NamedNode | ox.Literal] = {
        "province": ox.NamedNode(f"{base}area/{code}"),
        "below": ox.Literal(str(LOCAL_RANK), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")),
    }
    plans = [
        row["plan"] for row in solutions(store.query(_prefixed(HIGHER_PLANS), bindings=bindings))
    ]
    rows = [row for plan in plans for row in _elements(store, plan)]
    return Names(sorted({_term(row, "element") for row in rows}, key=_order))


def _elements(store: Store, plan: ox.NamedNode) -> list[ox.QuerySolution]:
    return list(solutions(store.query(_prefixed(ELEMENTS), bindings={"plan": plan})))


def _order(term: Term) -> tuple[str, str]:
    return (term.iri.rsplit("/", 2)[0], term.iri)


def _term(row: ox.QuerySolution, key: str) -> Term:
    th, en = row["th"], row["en"]
    return Term(row[key].value, th.value if th else "", en.value if en else "")


def _prefixed(query: str) -> str:
    return f"PREFIX tp: <{TP}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\n{query}"
