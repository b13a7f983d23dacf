"""Paging a named query's answer: ``limit`` and ``offset`` over HTTP and on the command line.

On the bundled data ``orphan-projects`` has three rows (``test_query_cli.py`` checks that): the
pages must be slices of the whole answer in its order, with the total on every page.
"""

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from queries_support import SETTINGS, bundled_store

from kgservice.bootstrap import bootstrap
from kgservice.cli import main
from kgservice.query.named import QueryFileError, parse
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

ORPHANS = "/queries/orphan-projects"


@pytest.fixture(scope="module")
def client() -> TestClient:
    settings = Settings(memory=True, load_bundled_data=False)
    return TestClient(create_app(settings, store=bundled_store()))


def projects(response_text: str) -> list[str]:
    return [row["project"] for row in csv.DictReader(io.StringIO(response_text))]


def test_pages_are_slices_of_the_whole_answer_with_its_total(client: TestClient) -> None:
    whole = client.get(ORPHANS, params={"format": "csv"})
    assert whole.headers["Total-Count"] == "3"
    everything = projects(whole.text)
    assert len(everything) == 3
    first = client.get(ORPHANS, params={"format": "csv", "limit": "2"})
    rest = client.get(ORPHANS, params={"format": "csv", "limit": "2", "offset": "2"})
    assert projects(first.text) == everything[:2]
    assert projects(rest.text) == everything[2:]
    assert first.headers["Total-Count"] == rest.headers["Total-Count"] == "3"


def test_the_link_header_names_the_next_and_previous_pages(client: TestClient) -> None:
    first = client.get(ORPHANS, params={"format": "csv", "limit": "2"})
    assert first.headers["Link"] == (f'<{ORPHANS}?format=csv&limit=2&offset=2>; rel="next"')
    last = client.get(ORPHANS, params={"format": "csv", "limit": "2", "offset": "2"})
    assert last.headers["Link"] == f'<{ORPHANS}?format=csv&limit=2&offset=0>; rel="prev"'
    assert "Link" not in client.get(ORPHANS, params={"limit": "3"}).headers


def test_a_page_past_the_end_is_empty_and_keeps_the_total(client: TestClient) -> None:
    past = client.get(ORPHANS, params={"limit": "10", "offset": "50"})
    assert past.status_code == 200
    assert past.json()["results"]["bindings"] == []
    assert past.headers["Total-Count"] == "3"


def test_browsers_on_other_sites_may_read_the_paging_headers(client: TestClient) -> None:
    exposed = client.get(ORPHANS, params={"limit": "1"}).headers["Access-Control-Expose-Headers"]
    assert {"Total-Count", "Link"} <= {name.strip() for name in exposed.split(",")}


@pytest.mark.parametrize(("name", "value"), [("limit", "abc"), ("limit", "-1"), ("offset", "1.5")])
def test_a_limit_or_offset_that_is_no_count_is_a_400(
    client: TestClient, name: str, value: str
) -> None:
    answer = client.get(ORPHANS, params={name: value})
    assert answer.status_code == 400
    assert answer.json()["parameter"] == name


def test_the_openapi_document_offers_limit_and_offset_on_every_query(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    named = [p for p in paths if p.startswith("/queries/") and "{" not in p]
    assert len(named) == 12
    for path in named:
        offered = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"limit", "offset"} <= offered, path


def test_a_query_file_cannot_name_a_parameter_limit() -> None:
    with pytest.raises(QueryFileError, match="reserved"):
        parse("odd", "#+ param: limit integer optional how many\nSELECT * WHERE { ?s ?p ?o }")


def stored(path: Path) -> Path:
    """An on-disk store with the bundled data, closed (its lock goes with the object)."""
    store = EmbeddedStore(path)
    bootstrap(store, SETTINGS)
    store.close()
    return path


def test_the_command_line_prints_a_page_and_the_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--format", "csv", "--data-dir", str(stored(tmp_path))]
    assert main(["query", "orphan-projects", *common]) == 0
    everything = projects(capsys.readouterr().out)
    assert main(["query", "orphan-projects", "--limit", "1", "--offset", "1", *common]) == 0
    out, err = capsys.readouterr()
    assert projects(out) == everything[1:2]
    assert "3 rows in all" in err
