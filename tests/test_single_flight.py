"""Readers who find a named answer outdated at once share one computation of it."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from queries_support import SETTINGS

from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store.base import Dataset, QueryResult
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app


class SlowStore(EmbeddedStore):
    """The embedded store, each query taking half a second longer and counted: as a national
    answer after a write, long enough for the readers to arrive while it is computed."""

    def __init__(self) -> None:
        super().__init__(None)
        self.queries: list[str] = []
        self._lock = threading.Lock()

    def _evaluate(self, text: str, dataset: Dataset) -> QueryResult:
        with self._lock:
            self.queries.append(text)
        time.sleep(0.5)
        return super()._evaluate(text, dataset)


def test_concurrent_readers_of_an_outdated_answer_share_one_computation() -> None:
    store = SlowStore()
    bootstrap(store, SETTINGS)
    client = TestClient(create_app(Settings(memory=True, load_bundled_data=False), store=store))
    store.queries.clear()
    formats = ["json", "csv", "json", "xml", "json", "tsv"]
    with ThreadPoolExecutor(len(formats)) as pool:
        answers = list(
            pool.map(
                lambda f: client.get("/queries/orphan-projects", params={"format": f}), formats
            )
        )
    assert [a.status_code for a in answers] == [200] * len(formats)
    assert {a.headers["Total-Count"] for a in answers} == {"3"}
    orphan_runs = [q for q in store.queries if "OrphanProject" in q]
    assert len(orphan_runs) == 1
