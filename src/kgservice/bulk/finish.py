"""What follows a load once, after all its graphs are in: every end-of-load step is here."""

from collections.abc import Collection

from kgservice.bulk.progress import stage
from kgservice.derived import upkeep
from kgservice.derived.facts import GraphFacts
from kgservice.search.alongside import alongside
from kgservice.search.documents import Streamed
from kgservice.settings import Settings
from kgservice.store import Store

INCREMENTAL_LIMIT = 200
"""Past so many changed graphs the derived data is recomputed whole, with the bulk loader,
rather than partition by partition in one update naming them all."""


def finish_load(
    store: Store,
    settings: Settings,
    changed: Collection[str],
    *,
    facts: GraphFacts | None = None,
    bulk_loaded: bool = True,
    search: bool = True,
    streamed: Streamed | None = None,
) -> None:
    """Bring what is computed from the graphs up to date after ``changed`` were loaded.

    ``facts``: those of every graph, when the caller gathered them while loading.
    ``bulk_loaded``: the bulk loader wrote the graphs, so the store's files want merging.
    ``search``: update the search index too (a service starting brings it up to date itself,
    from the checksums of the bundled files).
    ``streamed``: what the load saw of the graphs it wrote, for the search index."""
    if not changed:
        return
    incremental = len(changed) <= INCREMENTAL_LIMIT
    indexed = changed if search else ()
    with alongside(store, settings, indexed, whole=not incremental, streamed=streamed) as index:
        with stage("derived data"):
            upkeep.refresh(store, settings, changed if incremental else None, facts=facts)
        if index is not None:
            with stage("search index"):
                index.finish()
    if bulk_loaded:
        store.compact()
