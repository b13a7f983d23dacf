"""A start computes every named answer that needs no parameter but a province before it serves:
the first page of each is then a slice of the kept answer (the whole answer's first rows, in its
order, with its total), and the engine runs nothing for it. A start over a store whose answers
were saved computes nothing; a question naming anything else is left for its first reader."""

import gc
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from queries_support import SETTINGS, CountingStore

from kgservice.auth import Principal
from kgservice.bootstrap import bootstrap
from kgservice.query import named, warming
from kgservice.services.writes import WriteService
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app, warm_answers

B = "https://w3id.org/thaiplan/id/"
TP = "https://w3id.org/thaiplan/ontology#"
KHON_KAEN = f"{B}area/40"
KK = f"{B}plan/provincial-40-2566-2570/strategy/"
LEGACY = f"{B}plan/legacy-lao-sao-400102-2561-2565/project/"
"""The bundled data's three orphan projects: 4, 5 and 6 of this plan, all in Khon Kaen."""
FIRST_PAGES = [
    ("orphan-projects", {}),
    ("orphan-projects", {"province": KHON_KAEN}),
    ("orphan-projects", {"province": f"{B}area/41"}),  # no orphans: an empty part
    ("duplicate-candidates", {}),
    ("strategy-coverage", {"province": KHON_KAEN}),
    ("unsupported-strategies", {"province": KHON_KAEN}),
    ("indicators-without-targets", {}),
    ("parallel-plans", {}),
    ("calendar-misalignment", {}),
    ("agreements-between-levels", {}),
]
"""Questions that name nothing but a province, each of whose answers the bundled data fills."""


def settings(data_dir: Path | None = None) -> Settings:
    # in this process, so that the store object sees every query the engine runs
    where = {"data_dir": data_dir} if data_dir else {"memory": True}
    return Settings(**where, load_bundled_data=False, query_processes=False)  # type: ignore[arg-type]


@pytest.fixture
def warmed() -> tuple[TestClient, CountingStore]:
    """A service over the bundled data, started as ``kgservice serve`` starts it."""
    store = CountingStore()
    bootstrap(store, SETTINGS)
    app = create_app(settings(), store=store)
    warm_answers(app)
    return TestClient(app), store


def page(client: TestClient, name: str, params: dict[str, str], **more: str) -> Response:
    return client.get(f"/queries/{name}", params={**params, **more})


def values(response: Response, *names: str) -> list[tuple[str, ...]]:
    rows = response.json()["results"]["bindings"]
    return [tuple(row[name]["value"] for name in names) for row in rows]


def test_the_first_pages_come_from_what_the_start_kept(
    warmed: tuple[TestClient, CountingStore],
) -> None:
    client, store = warmed
    store.queries.clear()
    for name, params in FIRST_PAGES:
        assert page(client, name, params, limit="100").status_code == 200
    assert store.queries == []


def test_a_first_page_is_the_whole_answers_first_rows_with_its_total(
    warmed: tuple[TestClient, CountingStore],
) -> None:
    client, _ = warmed
    orphans = page(client, "orphan-projects", {}, limit="2")
    assert values(orphans, "project") == [(LEGACY + "4",), (LEGACY + "5",)]
    assert orphans.headers["Total-Count"] == "3"
    coverage = page(client, "strategy-coverage", {"province": KHON_KAEN}, limit="2")
    assert values(coverage, "strategy", "supportingLocalGovernments") == [
        (KK + "1", "4"),
        (KK + "2", "6"),
    ]
    assert coverage.headers["Total-Count"] == "5"
    indicators = page(client, "indicators-without-targets", {}, limit="2")
    assert values(indicators, "indicator", "missing") == [
        (LEGACY + "4/indicator/1", TP + "unit"),
        (LEGACY + "5/indicator/1", TP + "targetValue"),
    ]
    assert indicators.headers["Total-Count"] == "3"


def test_each_first_page_is_what_the_engine_gives_for_the_whole_answer(
    warmed: tuple[TestClient, CountingStore],
) -> None:
    client, _ = warmed
    for name, params in FIRST_PAGES:
        first = page(client, name, params, limit="2").json()["results"]["bindings"]
        whole = client.get(
            f"/queries/{name}", params=params, headers={"Cache-Control": "no-cache"}
        ).json()["results"]["bindings"]
        assert first == whole[:2], name


def test_questions_that_name_more_than_a_province_are_left_for_their_readers() -> None:
    queries = named.load_named_queries(SETTINGS.queries_dir)
    assert {query.name for query in warming.questions(queries)} == {
        "agreements-between-levels",
        "calendar-misalignment",
        "duplicate-candidates",
        "indicators-without-targets",
        "orphan-projects",
        "parallel-plans",
        "strategy-coverage",
        "unsupported-strategies",
    }


def started_and_stopped(data_dir: Path) -> None:
    """A service started over the store as ``kgservice serve`` starts it, then stopped: what
    it kept is saved."""
    app = create_app(settings(data_dir))
    warm_answers(app)
    with TestClient(app):
        pass
    for thread in threading.enumerate():  # its last saves, which hold its store while they run
        if thread.name == "kgservice-saving":
            thread.join()


def test_a_start_over_the_answers_the_last_run_saved_computes_nothing(tmp_path: Path) -> None:
    loaded = EmbeddedStore(tmp_path / "store")
    bootstrap(loaded, SETTINGS)
    loaded.close()
    del loaded  # its directory's lock goes with it
    started_and_stopped(tmp_path / "store")
    gc.collect()  # the last service's store lets its directory's lock go
    store = CountingStore(tmp_path / "store")
    again = create_app(settings(tmp_path / "store"), store=store)
    warm_answers(again)
    assert store.ran("OrphanProject") == store.ran("titleTwin") == 0
    assert store.ran("missingProperty") == 0
    with TestClient(again) as client:
        assert values(page(client, "orphan-projects", {}), "project") == [
            (LEGACY + "4",),
            (LEGACY + "5",),
            (LEGACY + "6",),
        ]


def test_a_start_over_a_store_changed_since_the_answers_were_saved_keeps_the_change(
    tmp_path: Path,
) -> None:
    loaded = EmbeddedStore(tmp_path / "store")
    bootstrap(loaded, SETTINGS)
    loaded.close()
    del loaded
    started_and_stopped(tmp_path / "store")
    gc.collect()
    other = EmbeddedStore(tmp_path / "store")  # as `kgservice load` or another service would
    admin = Principal(f"{B}org/admin", "admin", admin=True)
    WriteService(other, settings(tmp_path / "store")).delete(admin, f"{B}graph/legacy-imports")
    other.close()
    del other
    gc.collect()
    store = CountingStore(tmp_path / "store")
    again = create_app(settings(tmp_path / "store"), store=store)
    warm_answers(again)
    assert store.ran("OrphanProject") == 1  # over every province, before serving
    with TestClient(again) as client:
        orphans = page(client, "orphan-projects", {}, limit="100")
        indicators = page(client, "indicators-without-targets", {}, limit="100")
    assert (values(orphans, "project"), orphans.headers["Total-Count"]) == ([], "0")
    assert (values(indicators, "indicator"), indicators.headers["Total-Count"]) == ([], "0")
