"""Which provinces the content of some graphs shows in, as the store holds it now: where a write
to those graphs can change a named answer split by province (``kgservice.query.partitions``).

A graph shows in the provinces of the organisations, plans and plan elements it describes and of
the areas its plans and elements cover, and in the rows of the organisations that own them. Its
derived facts reach further, through the graphs whose elements contribute to its elements
(``upkeep.affected_graphs``, whose derived facts a write to it recomputes): the provinces of those
graphs' owners, of their projects' title twins' owners and of the plans their elements contribute
to. A service graph (the ontology, the areas, the derived data...) or a write that reaches too many
graphs to list reaches every province.
"""

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kgservice import sparql_values
from kgservice.derived.upkeep import affected_graphs, reckoned
from kgservice.namespaces import SERVICE_GRAPHS, TP, graph_iri
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.store.base import solutions

MOST_GRAPHS = 1000
"""Past this many reached graphs a write is taken to reach everything (a national plan's)."""


Reached = tuple[frozenset[str] | None, frozenset[str] | None]
"""The provinces some graphs show in and the organisations whose rows they can change; None:
every one."""


def reached(store: Store, settings: Settings, graphs: Sequence[str]) -> Reached:
    """The provinces ``graphs`` show in and the organisations whose rows of a named answer they
    can change (see above), from one reckoning of the graphs a write to them recomputes: the
    one the write's upkeep made before its commit (``upkeep.reckoned``), before the commit and
    after it."""
    base = settings.base_iri
    if set(graphs) & {graph_iri(base, name) for name in SERVICE_GRAPHS}:
        return None, None
    derived = graph_iri(base, "derived")
    affected = reckoned(store, graphs) or affected_graphs(store, derived, set(graphs))
    if len(affected) > MOST_GRAPHS:
        return None, None
    return _provinces(store, derived, graphs, affected), _organisations(store, affected)


def _provinces(
    store: Store, derived: str, graphs: Sequence[str], affected: Iterable[str]
) -> frozenset[str]:
    written = sparql_values.iris("g", sorted(graphs))
    text = (
        _REACH.replace("#SUBJECTS", sparql_values.iris("s", sorted(_subjects(store, written))))
        .replace("#WRITTEN", written)
        .replace("#REACHED", sparql_values.iris("h", sorted(affected)))
    )
    rows = store.query(text, bindings={"derived": ox.NamedNode(derived)})
    return frozenset(row["province"].value for row in rows)  # type: ignore[union-attr]


def _organisations(store: Store, affected: Iterable[str]) -> frozenset[str]:
    """Those ``affected`` graphs describe, the owners of and parties to what these describe, and
    the resources outside any plan whose rows they can change (``_OWNERS``)."""
    written = sparql_values.iris("g", sorted(affected))
    subjects = sparql_values.iris("s", sorted(_subjects(store, written)))
    rows = store.query(_OWNERS.replace("#SUBJECTS", subjects))
    return frozenset(row["owner"].value for row in rows)  # type: ignore[union-attr]


def _subjects(store: Store, written: str) -> list[str]:
    """The IRIs the written graphs describe, asked first: as a sub-query beside the paths to a
    province, Oxigraph evaluated it again for every ``tp:inProvince`` in the country (12 s for
    one local government's graph nationally, against 0.02 s this way). A blank node has no
    province of its own to show in."""
    rows = solutions(
        store.query(f"SELECT DISTINCT ?s WHERE {{ {written} GRAPH ?g {{ ?s ?p ?o }} }}")
    )
    return [row[0].value for row in rows if isinstance(row[0], ox.NamedNode)]


_IN_PROVINCE = "tp:withinArea* ?province . ?province a tp:Province"

_REACH = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?derived ?province WHERE {{
  {{ #SUBJECTS
     ?s tp:inProvince|tp:ownedBy/tp:inProvince|tp:inPlan/tp:ownedBy/tp:inProvince ?province }}
  UNION
  {{ #WRITTEN GRAPH ?g {{ ?s tp:coversArea ?area }} ?area {_IN_PROVINCE} }}
  UNION
  {{ #REACHED GRAPH ?h {{ ?plan tp:ownedBy ?owner }} ?owner tp:inProvince ?province }}
  UNION
  {{ #REACHED GRAPH ?derived {{ ?x tp:sourceGraph ?h ; tp:titleTwin|^tp:titleTwin ?twin }}
     ?twin tp:owningOrganisation/tp:inProvince ?province }}
  UNION
  {{ #REACHED GRAPH ?derived {{ ?x tp:sourceGraph ?h ; tp:contributesTo ?target }}
     ?target tp:inPlan/tp:coversArea ?area . ?area {_IN_PROVINCE} }}
}}"""
"""The VALUES go into each branch, as in ``upkeep``: Oxigraph would join them only after
evaluating every branch over the whole store."""

_OWNERS = f"""PREFIX tp: <{TP}>
SELECT DISTINCT ?owner WHERE {{
  {{ #SUBJECTS ?s tp:inProvince ?province BIND(?s AS ?owner) }}
  UNION {{ #SUBJECTS ?s tp:ownedBy|tp:owningOrganisation|tp:inPlan/tp:ownedBy|tp:party ?owner }}
  UNION {{ #SUBJECTS [] tp:covers|tp:indicator ?s ; tp:party ?owner }}
  UNION {{ #SUBJECTS ?s tp:indicator/tp:missingProperty []
           FILTER NOT EXISTS {{ ?s tp:inPlan/tp:ownedBy [] }} BIND(?s AS ?owner) }}
}}"""
"""The organisations described, those owning what is described or party to it (an agreement
written, or one elsewhere covering or measured by what is written), and what holds an indicator
that lacks a target or a unit outside any organisation's plan (an agreement: its rows of
``indicators-without-targets`` name no organisation, but it)."""
