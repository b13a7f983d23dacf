"""Which resources a write may describe: an organisation makes statements only about its own.

A resource (the subject of a triple) is the writer's unless a graph other than the ones being
written describes it: another organisation's, a reference graph (areas, the national plans) or
one of the service's own (ontology, provenance). ``graph/derived`` does not count: it describes
every plan element on behalf of the element's own graph. A graph being written is the writer's
to describe (``graph/bootstrap`` also says where a bundled one came from). A resource minted
under a plan's IRI (``{base}plan/{plan}/...``) goes with that plan, so nobody mints under a plan
another graph holds. Blank nodes are always the writer's own. Objects are not checked: linking
*to* others' resources is what plans do. Administrators may describe anything.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kgservice import sparql_values
from kgservice.auth import Principal
from kgservice.errors import Forbidden
from kgservice.namespaces import graph_iri
from kgservice.store import Store

_BATCH = 5000
_SHOWN = 5
_HELD = """SELECT DISTINCT ?s ?g WHERE {
  #VALUES GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (#OWN))
} LIMIT #LIMIT"""


def check_subjects(
    store: Store,
    principal: Principal,
    content: Mapping[str, Iterable[ox.Triple]],
    *,
    base_iri: str,
) -> frozenset[str]:
    """Refuse (403) a write whose graphs describe resources that other graphs hold; otherwise
    the subjects checked, which no graph but the written ones and ``graph/derived`` describes
    (none for an administrator, who is not checked)."""
    if principal.admin:
        return frozenset()
    named = _lookups(content, base_iri)
    own = [*content, graph_iri(base_iri, "derived")]
    held = _held(store, sorted(named), own)
    if held:
        subjects = list(dict.fromkeys(named[iri] for iri, _ in held))
        raise Forbidden(
            "ข้อมูลกล่าวถึงทรัพยากรของกราฟอื่น (the write describes resources that another "
            f"graph holds; an organisation may only link to them): {', '.join(subjects)}",
            subjects=subjects,
            graphs=sorted({graph for _, graph in held}),
        )
    return frozenset(named.values())


def _lookups(content: Mapping[str, Iterable[ox.Triple]], base_iri: str) -> dict[str, str]:
    """The IRIs to look up, each with the submitted subject it stands for: every subject, and
    the plan each subject minted under a plan belongs to."""
    found: dict[str, str] = {}
    plans = f"{base_iri}plan/"
    for triples in content.values():
        for triple in triples:
            subject = triple.subject
            if (
                isinstance(subject, ox.NamedNode)
                and subject.value not in found
                and subject.value not in content  # a graph's own description (dcat:Dataset)
            ):
                found[subject.value] = subject.value
                plan = _plan_of(subject.value, plans)
                if plan is not None:
                    found.setdefault(plan, subject.value)
    return found


def _plan_of(iri: str, plans: str) -> str | None:
    """``{base}plan/P`` for an IRI minted under it (``{base}plan/P/...``)."""
    if not iri.startswith(plans):
        return None
    name, slash, _ = iri.removeprefix(plans).partition("/")
    return plans + name if slash and name else None


def _held(store: Store, iris: Sequence[str], own: Sequence[str]) -> list[tuple[str, str]]:
    """Up to a few of ``iris`` that a graph outside ``own`` describes, with that graph."""
    not_own = ", ".join(str(ox.NamedNode(g)) for g in own)
    for batch in _batches(iris):
        text = (
            _HELD.replace("#VALUES", sparql_values.iris("s", batch))
            .replace("#OWN", not_own)
            .replace("#LIMIT", str(_SHOWN))
        )
        rows = [(row["s"].value, row["g"].value) for row in store.query(text)]  # type: ignore[union-attr]
        if rows:
            return rows
    return []


def _batches(iris: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(iris), _BATCH):
        yield iris[start : start + _BATCH]
