"""Thai and English full-text search: a word index beside the store, kept in step with it."""

from kgservice.search.index import SearchIndex
from kgservice.search.upkeep import SearchUpkeep
from kgservice.settings import Settings
from kgservice.store import Store


def open_search(store: Store, settings: Settings) -> SearchUpkeep:
    """The store's search index, brought up to date with it (built on a first start)."""
    upkeep = SearchUpkeep(SearchIndex(settings.search_index_path), store, settings)
    upkeep.catch_up()
    return upkeep


__all__ = ["SearchIndex", "SearchUpkeep", "open_search"]
