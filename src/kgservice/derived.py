"""Derived data kept in step with the asserted graphs, so that the named queries stay fast.

Everything derived lives in the named graph ``{base}graph/derived`` and is partitioned by the graph
it was derived from: each derived subject carries ``tp:sourceGraph``. After a write to some graphs
only the partitions that can have changed are recomputed: those of the changed graphs and of the
graphs whose elements contribute (before or after the change) to elements of the changed graphs.
A change to a reference graph (ontology, areas) recomputes everything.

The terms are defined in ``ontology/derived.ttl``.
"""

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kgservice.derivation import Partition, derive
from kgservice.namespaces import TP, graph_iri
from kgservice.settings import Settings
from kgservice.store import Store

NOT_SOURCES = ("derived", "ontology", "shapes", "provenance")
FULL_REFRESH_SOURCES = ("ontology", "areas")


def refresh(store: Store, settings: Settings, changed_graphs: Iterable[str] | None = None) -> None:
    """Bring ``graph/derived`` up to date after ``changed_graphs`` (None: everything) changed."""
    base = settings.base_iri
    target = graph_iri(base, "derived")
    changed = None if changed_graphs is None else set(changed_graphs) - {target}
    if changed is None or changed & {graph_iri(base, n) for n in FULL_REFRESH_SOURCES}:
        _recompute_all(store, base)
    elif changed:
        _recompute(store, base, sorted(affected_graphs(store, target, changed)))


def source_graphs(store: Store, base: str) -> list[str]:
    skipped = {graph_iri(base, n) for n in NOT_SOURCES}
    return sorted(g for g in store.graphs() if g not in skipped)


def _recompute_all(store: Store, base: str) -> None:
    partition = derive(store, base, source_graphs(store, base), outside={})
    store.replace_graphs({graph_iri(base, "derived"): partition.triples})


def _recompute(store: Store, base: str, graphs: Sequence[str]) -> None:
    target = graph_iri(base, "derived")
    partition = derive(store, base, graphs, outside=_titles_outside(store, target, graphs))
    store.update(_delete_partitions(target, graphs) + ";\n" + _insert(target, partition))


def affected_graphs(store: Store, derived: str, changed: set[str]) -> set[str]:
    """The changed graphs and every graph with an element that contributes to one of theirs."""
    rows = store.query(
        _AFFECTED.replace("#VALUES", _values("g", changed)),
        substitutions={"derived": ox.NamedNode(derived)},
    )
    return changed | {row["h"].value for row in rows}  # type: ignore[union-attr]


_LINK = "tp:partOf|tp:supports|^tp:linkageSource/tp:linkageTarget"

_AFFECTED = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?derived ?h WHERE {{
  #VALUES
  {{ GRAPH ?derived {{ ?x tp:sourceGraph ?g . ?y tp:contributesTo ?x . ?y tp:sourceGraph ?h }} }}
  UNION
  {{ GRAPH ?g {{ ?x tp:partOf ?parent }} GRAPH ?h {{ ?y {_LINK} ?x }} }}
  UNION
  {{ GRAPH ?g {{ ?x tp:partOf ?parent }} ?z ({_LINK}) ?x .
     GRAPH ?derived {{ ?y tp:contributesTo ?z . ?y tp:sourceGraph ?h }} }}
}}"""


def _titles_outside(store: Store, derived: str, graphs: Sequence[str]) -> dict[str, list[str]]:
    """Normalised titles of projects outside ``graphs``: key -> [project, owner, ...]."""
    rows = store.query(
        f"""PREFIX tp: <{TP}>
        SELECT ?derived ?project ?key ?owner WHERE {{
          GRAPH ?derived {{ ?project tp:normalisedTitle ?key ; tp:sourceGraph ?g ;
                                     tp:owningOrganisation ?owner }}
          FILTER(?g NOT IN ({", ".join(str(ox.NamedNode(g)) for g in graphs)}))
        }}""",
        substitutions={"derived": ox.NamedNode(derived)},
    )
    titles: dict[str, list[str]] = {}
    for row in rows:  # type: ignore[union-attr]
        titles.setdefault(row["key"].value, []).extend((row["project"].value, row["owner"].value))
    return titles


def _delete_partitions(derived: str, graphs: Sequence[str]) -> str:
    d = str(ox.NamedNode(derived))
    return f"""PREFIX tp: <{TP}>
    DELETE {{ GRAPH {d} {{ ?x tp:titleTwin ?s }} }} WHERE {{
      {_values("g", graphs)} GRAPH {d} {{ ?s tp:sourceGraph ?g . ?x tp:titleTwin ?s }} }};
    DELETE {{ GRAPH {d} {{ ?s ?p ?o }} }} WHERE {{
      {_values("g", graphs)} GRAPH {d} {{ ?s tp:sourceGraph ?g ; ?p ?o }} }}"""


def _insert(derived: str, partition: Partition) -> str:
    lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in partition.triples)
    return f"INSERT DATA {{ GRAPH {ox.NamedNode(derived)} {{\n{lines}\n}} }}"


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"
