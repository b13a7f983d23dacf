"""A service's first start builds the search index from the statements as it loads them: a
search answers straight away, the index is up to date with the store (the next look at it reads
nothing again), and it gives the answers a rebuild from the store gives."""

import gc
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kgservice.cli import main
from kgservice.settings import Settings
from kgservice.web.app import create_app

ROAD = "https://w3id.org/thaiplan/id/plan/lao-sao-401014-2566-2570/project/1"
TEXTS = ["ถนน คสล.", "ขุดลอก", "ผู้สูงอายุ"]


def answers(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Each text's results, in IRI order (results that rank equal come in the order the index
    took them in)."""
    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        found = {
            text: client.get("/search", params={"q": text, "format": "json", "limit": 100}).json()
            for text in TEXTS
        }
    return {
        text: sorted(answer["results"], key=lambda r: r["iri"]) for text, answer in found.items()
    }


def test_the_first_start_builds_the_index_a_rebuild_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "store"
    first = answers(data_dir)
    gc.collect()  # the service's store lets its directory's lock go
    capsys.readouterr()
    assert main(["search-index", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == "up to date: 0 graphs read again\n"
    assert main(["search-index", "--rebuild", "--data-dir", str(data_dir)]) == 0
    assert ROAD in {r["iri"] for r in first["ถนน คสล."]}
    assert all(first[text] for text in TEXTS)
    assert answers(data_dir) == first
