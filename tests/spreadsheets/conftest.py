"""Fixtures for the spreadsheet tests: an app over the bundled data (the sample plans of Khon
Kaen), writers' tokens, and workbooks edited cell by cell."""

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kgservice.auth import TokenFile
from kgservice.settings import Settings

BASE = "https://w3id.org/thaiplan/id/"
ORG = "lao-sao-400102"
PLAN = f"{BASE}plan/{ORG}-2566-2570"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Edit = dict[tuple[str, str], object]
"""Cells to change: (sheet, "B4") -> new value."""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(memory=True, tokens_file=tmp_path / "tokens.json")


@pytest.fixture
def client(settings: Settings, bundled_app: Callable[[Settings], FastAPI]) -> Iterator[TestClient]:
    with TestClient(bundled_app(settings)) as client:
        yield client


@pytest.fixture
def token(settings: Settings) -> Callable[..., str]:
    def create(org_id: str = ORG, *, admin: bool = False) -> str:
        _, secret = TokenFile(settings.tokens_path).create(f"{BASE}org/{org_id}", admin=admin)
        return secret

    return create


@pytest.fixture
def exported(client: TestClient) -> bytes:
    answer = client.get(f"/spreadsheets/{ORG}.xlsx")
    assert answer.status_code == 200
    return answer.content


def edited(workbook: bytes, edits: Edit) -> bytes:
    book = load_workbook(io.BytesIO(workbook))
    for (sheet, cell), value in edits.items():
        book[sheet][cell] = value
        if isinstance(value, str):  # text as typed, even when it starts with "="
            book[sheet][cell].data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send(
    client: TestClient,
    body: bytes,
    secret: str,
    *,
    dry_run: bool = True,
    org: str = ORG,
    media_type: str = XLSX,
) -> tuple[int, dict[str, object]]:
    query = "?dry-run=true" if dry_run else ""
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": media_type}
    answer = client.post(f"/spreadsheets/{org}{query}", content=body, headers=headers)
    return answer.status_code, answer.json()


def graph_content(client: TestClient, org: str = ORG) -> set[str]:
    writes = client.app.state.writes  # type: ignore[attr-defined]
    return {str(t) for t in writes.content(f"{BASE}graph/{org}")}
