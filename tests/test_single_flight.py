"""Readers who find a named answer outdated at once share one computation of it."""

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from queries_support import SETTINGS, SlowStore

from kgservice.bootstrap import bootstrap
from kgservice.query import named
from kgservice.settings import Settings
from kgservice.web.app import create_app


def test_concurrent_readers_of_an_outdated_answer_share_one_computation() -> None:
    store = SlowStore()
    bootstrap(store, SETTINGS)
    # Each part heavy: the shared computation still takes one of this client's turns at a time.
    settings = Settings(
        memory=True, load_bundled_data=False, query_processes=False, heavy_query_after_s=0.02
    )
    client = TestClient(create_app(settings, store=store))
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
    assert len(orphan_runs) == len(set(orphan_runs)) == 77  # each province's part once


def test_a_reader_and_the_warm_up_compute_each_part_once() -> None:
    store = SlowStore()
    bootstrap(store, SETTINGS)
    settings = Settings(memory=True, load_bundled_data=False, query_processes=False)
    client = TestClient(create_app(settings, store=store))
    store.queries.clear()
    orphans = named.find("orphan-projects", SETTINGS.queries_dir)
    warm_up = threading.Thread(target=client.app.state.answers.warm, args=([orphans],))  # type: ignore[attr-defined]
    warm_up.start()  # as `kgservice serve` does, while its first reader asks the same answer
    answer = client.get("/queries/orphan-projects")
    warm_up.join()
    assert answer.headers["Total-Count"] == "3"
    orphan_runs = [q for q in store.queries if "OrphanProject" in q]
    assert len(orphan_runs) == len(set(orphan_runs)) == 77
