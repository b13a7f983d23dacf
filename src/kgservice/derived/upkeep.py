"""Derived data kept in step with the asserted graphs, so that the named queries stay fast.

Everything derived lives in the named graph ``{base}graph/derived`` and is partitioned by the graph
it was derived from: each derived subject carries ``tp:sourceGraph``. After a write to some graphs
only the partitions that can have changed are recomputed: those of the changed graphs and of the
graphs whose elements contribute (before or after the change) to elements of the changed graphs.
A change to a reference graph (ontology, areas) recomputes everything. The province roll-ups
(``kgservice.derived.rollups``) of the provinces whose organisations the recomputed partitions
summarise are recomputed in the same update.

A write computes its changes to the derived graph before it commits (``changes``), from its graphs'
new content and the store's other graphs, and commits them in the same transaction as its data.

The terms are defined in ``ontology/derived.ttl``.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import partial
from weakref import WeakKeyDictionary

import pyoxigraph as ox

from kgservice import sparql_values
from kgservice.derived import edits, rollups
from kgservice.derived.compute import Candidate, derive
from kgservice.derived.facts import GraphFacts, Replacement, read_facts
from kgservice.namespaces import TP, graph_iri
from kgservice.settings import Settings
from kgservice.store import Store, Term, union
from kgservice.store.base import Dataset

FULL_REFRESH_SOURCES = ("ontology", "areas")


def refresh(
    store: Store,
    settings: Settings,
    changed_graphs: Iterable[str] | None = None,
    *,
    facts: GraphFacts | None = None,
) -> None:
    """Bring ``graph/derived`` up to date after ``changed_graphs`` (None: everything) changed.

    ``facts``: those of every graph in the store, when the caller has them already (a first start
    gathers them as it loads); the whole derived graph is then computed from them."""
    base = settings.base_iri
    target = graph_iri(base, "derived")
    changed = None if changed_graphs is None else set(changed_graphs) - {target}
    full = changed is None or changed & {graph_iri(base, n) for n in FULL_REFRESH_SOURCES}
    if full or facts is not None:
        _recompute_all(store, base, facts)
    elif changed:
        _recompute(store, base, sorted(affected_graphs(store, target, changed)))


def changes(store: Store, settings: Settings, replacement: Replacement) -> list[str]:
    """The update operations that bring ``graph/derived`` up to date for the store as it will
    be once ``replacement`` is committed, to run after it in the same request."""
    base = settings.base_iri
    target = graph_iri(base, "derived")
    changed = set(replacement.graphs) - {target}
    if changed & {graph_iri(base, n) for n in FULL_REFRESH_SOURCES}:
        partition = derive(store, base, None, outside=lambda keys: {}, replacement=replacement)
        return [union.drop(target), union.insert_data(target, union.lines(partition.triples))]
    if not changed:
        return []
    edited = _edited(store, base, replacement)
    if edited is not None:
        _RECKONED[store] = (frozenset(replacement.graphs), frozenset(replacement.graphs))
        return edited
    affected = affected_graphs(store, target, changed, replacement)
    _RECKONED[store] = (frozenset(replacement.graphs), frozenset(affected))
    return _operations(store, base, sorted(affected), replacement)


def _edited(store: Store, base: str, replacement: Replacement) -> list[str] | None:
    """The changes of a write that edits some elements of one graph, from those elements
    (``kgservice.derived.edits``); None when it is not such an edit."""
    edit = edits.edit_of(store, replacement)
    if edit is None:
        return None
    target = graph_iri(base, "derived")
    return edits.operations(
        store, base, edit, replacement, lambda keys: _titles_outside(store, target, (), keys)
    )


_RECKONED: "WeakKeyDictionary[Store, tuple[frozenset[str], frozenset[str]]]" = WeakKeyDictionary()
"""The graphs of the write last reckoned on each store, and those it reaches."""


def reckoned(store: Store, graphs: Iterable[str]) -> frozenset[str] | None:
    """The graphs a write of ``graphs`` reaches before and after it, as ``changes`` reckoned
    them for the write being committed (writes take turns), for the kept answers' reach to use
    instead of asking again before and after the commit; None when it did not."""
    written, affected = _RECKONED.get(store, (frozenset(), frozenset()))
    return affected if written == frozenset(graphs) else None


def _recompute_all(store: Store, base: str, facts: GraphFacts | None) -> None:
    """Replace the whole derived graph. Not one transaction: the bulk loader is many times
    faster than one update of millions of triples, and this runs on first start and after
    bulk loads, not after single writes. The triples are written a share at a time as they are
    derived, so that a country's derived data is never held whole in memory."""
    target = graph_iri(base, "derived")
    graph = ox.NamedNode(target)

    def write(triples: set[ox.Triple]) -> None:
        store.bulk_insert(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    known = read_facts(store, None) if facts is None else facts
    store.update(union.drop(target))
    with store.bulk_batches():
        derive(store, base, None, outside=lambda keys: {}, facts=known, sink=write)


def _recompute(store: Store, base: str, graphs: Sequence[str]) -> None:
    store.update(";\n".join(_operations(store, base, graphs, None)))


def _operations(
    store: Store, base: str, graphs: Sequence[str], replacement: Replacement | None
) -> list[str]:
    target = graph_iri(base, "derived")
    partition = derive(
        store,
        base,
        graphs,
        outside=lambda keys: _titles_outside(store, target, graphs, keys),
        replacement=replacement,
    )
    stored = _stored_partitions(store, target, graphs)
    return [
        union.delete_data(target, stored - partition.triples),
        union.insert_data(target, union.lines(partition.triples - stored)),
        *rollups.changes(store, base, target, graphs, partition.triples),
    ]


def affected_graphs(
    store: Store, derived: str, changed: set[str], replacement: Replacement | None = None
) -> set[str]:
    """The changed graphs, every graph with an element that contributes to one of theirs and
    every graph that holds one of their elements too (which of them derives it can change),
    before the change and (with the ``replacement`` about to be committed) after it."""
    rows = store.query(
        _AFFECTED.replace("#VALUES", sparql_values.iris("g", changed)),
        bindings={"derived": ox.NamedNode(derived)},
    )
    found = changed | {row["h"].value for row in rows}  # type: ignore[union-attr]
    return found | (_affected_after(store, derived, replacement) if replacement else set())


def _affected_after(store: Store, derived: str, replacement: Replacement) -> set[str]:
    """The graphs with an element that contributes to an element of the replaced graphs' new
    content: one that links to it, or contributes to something that links to it there."""
    # the new content's store has no copy of the union: its default graph is named
    new = partial(replacement.store.query, dataset=Dataset(default_graph=replacement.graphs))
    elements = {row["x"].value for row in new(_ELEMENTS)}  # type: ignore[union-attr]
    linking = {row["z"].value for row in new(_LINKING)}  # type: ignore[union-attr]
    placed = {row["organisation"].value for row in new(_JURISDICTIONS)}  # type: ignore[union-attr]
    found: set[str] = set()
    bound = {"derived": ox.NamedNode(derived)}
    for batch in _batches(sorted(placed)):
        text = _PLACING.replace("#VALUES", sparql_values.iris("organisation", batch))
        found |= {row["h"].value for row in store.query(text)}  # type: ignore[union-attr]
    for batch in _batches(sorted(elements)):
        text = _AFFECTED_AFTER.replace("#VALUES", sparql_values.iris("x", batch))
        found |= {row["h"].value for row in store.query(text, bindings=bound)}  # type: ignore[union-attr]
    for batch in _batches(sorted(linking)):
        text = _CONTRIBUTING.replace("#VALUES", sparql_values.iris("z", batch))
        found |= {row["h"].value for row in store.query(text, bindings=bound)}  # type: ignore[union-attr]
    return found


def _batches(iris: Sequence[str], size: int = 5000) -> Iterable[Sequence[str]]:
    return (iris[i : i + size] for i in range(0, len(iris), size))


_LINK = "tp:partOf|tp:supports|^tp:linkageSource/tp:linkageTarget"

_PLACED_BY_PLAN = "GRAPH ?h { ?plan tp:ownedBy ?organisation ; tp:coversArea ?covered }"
"""The graphs whose plans place ``?organisation`` in a province when it states no jurisdiction
(``GraphFacts.place_organisations``): a jurisdiction stated or withdrawn changes their partition."""

_AFFECTED = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?derived ?h WHERE {{
  {{ #VALUES GRAPH ?derived {{
       ?x tp:sourceGraph ?g . ?y tp:contributesTo ?x . ?y tp:sourceGraph ?h }} }}
  UNION
  {{ #VALUES GRAPH ?g {{ ?x tp:partOf ?parent }} GRAPH ?h {{ ?y {_LINK} ?x }} }}
  UNION
  {{ #VALUES GRAPH ?g {{ ?x tp:partOf ?parent }} ?z ({_LINK}) ?x .
     GRAPH ?derived {{ ?y tp:contributesTo ?z . ?y tp:sourceGraph ?h }} }}
  UNION
  {{ #VALUES GRAPH ?g {{ ?x tp:partOf ?parent }} GRAPH ?h {{ ?x tp:partOf ?other }} }}
  UNION
  {{ #VALUES GRAPH ?derived {{ ?organisation tp:inProvince ?province ; tp:sourceGraph ?g }}
     {_PLACED_BY_PLAN} }}
}}"""
"""The VALUES go into each branch: Oxigraph joins a VALUES outside a UNION only after evaluating
the branches, over every graph of the store."""


_ELEMENTS = f"PREFIX tp: <{TP}> SELECT DISTINCT ?x WHERE {{ ?x tp:partOf ?parent }}"

_LINKING = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?z WHERE {{ ?x tp:partOf ?parent . ?z ({_LINK}) ?x }}"""

_JURISDICTIONS = (
    f"PREFIX tp: <{TP}> SELECT DISTINCT ?organisation WHERE {{ ?organisation tp:jurisdiction ?a }}"
)

_PLACING = f"PREFIX tp: <{TP}> SELECT DISTINCT ?h WHERE {{ #VALUES {_PLACED_BY_PLAN} }}"

_AFFECTED_AFTER = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?derived ?h WHERE {{
  {{ #VALUES GRAPH ?h {{ ?y {_LINK} ?x }} }}
  UNION
  {{ #VALUES ?z ({_LINK}) ?x . GRAPH ?derived {{ ?y tp:contributesTo ?z . ?y tp:sourceGraph ?h }} }}
  UNION
  {{ #VALUES GRAPH ?h {{ ?x tp:partOf ?other }} }}
}}"""

_CONTRIBUTING = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?derived ?h WHERE {{
  #VALUES GRAPH ?derived {{ ?y tp:contributesTo ?z . ?y tp:sourceGraph ?h }}
}}"""


def _titles_outside(
    store: Store, derived: str, graphs: Sequence[str], keys: set[str]
) -> dict[str, list[Candidate]]:
    """Projects of the partitions of graphs other than ``graphs`` (of every graph, when there
    are none) with one of the normalised titles ``keys``."""
    names = ", ".join(str(ox.NamedNode(g)) for g in graphs)
    # Oxigraph takes ``NOT IN ()`` for false
    text = _OUTSIDE.replace("#LEAVING", f"FILTER(?g NOT IN ({names}))" if graphs else "")
    bound: dict[str, Term] = {"derived": ox.NamedNode(derived)}
    rows = [
        row
        for batch in _batches(sorted(keys))
        for row in store.query(
            text.replace("#VALUES", sparql_values.texts("key", batch)), bindings=bound
        )  # type: ignore[union-attr]
    ]
    years = _years(store, {row["project"].value for row in rows})
    titles: dict[str, list[Candidate]] = defaultdict(list)
    for row in rows:
        project, area = row["project"].value, row["area"]
        found = years.get(project) or [
            int(t.value) for t in (row["start"], row["end"]) if t is not None
        ]
        if area is not None and found:
            candidate = Candidate(project, row["owner"].value, area.value, min(found), max(found))
            titles[row["key"].value].append(candidate)
    return titles


def _years(store: Store, projects: set[str]) -> dict[str, list[int]]:
    """The fiscal years of each project's budget allocations."""
    found: dict[str, list[int]] = defaultdict(list)
    for batch in _batches(sorted(projects)):
        text = _YEARS.replace("#VALUES", sparql_values.iris("project", batch))
        for row in store.query(text):  # type: ignore[union-attr]
            found[row["project"].value].append(int(row["year"].value))
    return found


_OUTSIDE = f"""PREFIX tp: <{TP}>
SELECT ?derived ?key ?project ?owner ?area ?start ?end WHERE {{
  GRAPH ?derived {{
    #VALUES ?project tp:normalisedTitle ?key ; tp:sourceGraph ?g ; tp:inPlan ?plan }}
  #LEAVING
  ?plan tp:ownedBy ?owner .
  OPTIONAL {{ ?project tp:coversArea ?projectArea }}
  OPTIONAL {{ ?plan tp:coversArea ?planArea }}
  OPTIONAL {{ ?owner tp:jurisdiction ?ownerArea }}
  BIND(COALESCE(?projectArea, ?planArea, ?ownerArea) AS ?area)
  OPTIONAL {{ ?plan tp:startFiscalYear ?start }}
  OPTIONAL {{ ?plan tp:endFiscalYear ?end }}
}}"""

_YEARS = f"""PREFIX tp: <{TP}>
SELECT ?project ?year WHERE {{
  #VALUES ?project tp:budget ?budget . ?budget tp:fiscalYear ?year
}}"""


def _stored_partitions(store: Store, derived: str, graphs: Sequence[str]) -> set[ox.Triple]:
    """What the partitions of ``graphs`` hold, with the title twins that point into them: the
    statements their recomputation replaces. The update deletes and inserts only the difference,
    since a graph sent again mostly derives what it derived before."""
    text = _PARTITIONS.replace("#VALUES", sparql_values.iris("g", graphs))
    rows = store.query(text, bindings={"derived": ox.NamedNode(derived)})
    return {ox.Triple(row["s"], row["p"], row["o"]) for row in rows}  # type: ignore[union-attr]


_PARTITIONS = f"""PREFIX tp: <{TP}>
SELECT ?s ?p ?o WHERE {{
  {{ #VALUES GRAPH ?derived {{ ?s tp:sourceGraph ?g ; ?p ?o }} }}
  UNION
  {{ #VALUES GRAPH ?derived {{ ?o tp:sourceGraph ?g . ?s tp:titleTwin ?o }}
     BIND(tp:titleTwin AS ?p) }}
}}"""
