"""Store backends behind one interface; ``open_store`` picks one from the settings."""

from kgservice.query.binding import Term
from kgservice.settings import Settings
from kgservice.store import union
from kgservice.store.base import QueryResult, Store, solutions, triples

__all__ = ["QueryResult", "Store", "Term", "open_store", "solutions", "triples"]


def open_store(settings: Settings) -> Store:
    """The store the settings name, with its default graph the union of its named graphs."""
    store = _backend(settings)
    union.ensure(store)
    return store


def _backend(settings: Settings) -> Store:
    if settings.store == "remote" and settings.store_dialect == "virtuoso":
        from kgservice.store.virtuoso import VirtuosoStore

        return VirtuosoStore(settings)
    if settings.store == "remote":
        from kgservice.store.remote import RemoteStore

        return RemoteStore(settings)
    from kgservice.store.embedded import EmbeddedStore

    return EmbeddedStore(None if settings.memory else settings.data_dir)
