"""A write reckons once which graphs it reaches: its upkeep of the derived data and the kept
answers' reach before and after its commit share that reckoning."""

from pathlib import Path

from fastapi.testclient import TestClient
from queries_support import SETTINGS, B, CountingStore, eventually, sent_again

from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.web.app import create_app

ORG = "lao-sao-400102"
AFFECTED = "tp:contributesTo ?x . ?y tp:sourceGraph ?h"
"""Words of the query that finds the graphs a write to some graphs reaches (``upkeep``)."""


def test_a_write_reckons_the_graphs_it_reaches_once(tmp_path: Path) -> None:
    store = CountingStore()
    bootstrap(store, SETTINGS)
    # counted by the store in this process
    settings = Settings(
        memory=True, load_bundled_data=False, query_processes=False, tokens_file=tmp_path / "t.json"
    )
    client = TestClient(create_app(settings, store=store))
    part = client.get("/queries/orphan-projects", params={"province": f"{B}area/40"})
    store.queries.clear()
    sent_again(client, ORG)
    # the plan sent again is an edit of nothing (derived/edits.py): the upkeep reckons it
    # reaches its own graph without asking the store, and the reach takes that reckoning
    assert store.ran(AFFECTED) == 0
    # and the part it reaches is computed again (its organisation's rows) after it returned
    eventually(lambda: store.ran("OrphanProject", f"<{B}org/{ORG}>") == 1)
    again = client.get("/queries/orphan-projects", params={"province": f"{B}area/40"})
    assert again.content == part.content
