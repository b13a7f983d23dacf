"""Thai and English full-text search: a word index beside the store, kept in step with it."""

import logging

from kgservice.errors import StoreUnavailable
from kgservice.search.index import SearchIndex
from kgservice.search.upkeep import SearchUpkeep
from kgservice.settings import Settings
from kgservice.store import Store

log = logging.getLogger("kgservice.search")


def open_search(store: Store, settings: Settings) -> SearchUpkeep:
    """The store's search index, brought up to date with it (built on a first start). A store
    that cannot be reached leaves the index as it is: the service starts and says so at
    ``/healthz``, and the next start catches up."""
    upkeep = SearchUpkeep(SearchIndex(settings.search_index_path), store, settings)
    try:
        upkeep.catch_up()
    except StoreUnavailable as exc:
        log.warning("search index not brought up to date: %s", exc.message)
    return upkeep


__all__ = ["SearchIndex", "SearchUpkeep", "open_search"]
