"""``kgservice search`` and ``kgservice search-index`` as a user runs them: subprocesses over a
store on disk that a first start filled with the bundled data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kgservice.bootstrap import bootstrap
from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store import open_store

ROAD = "https://w3id.org/thaiplan/id/plan/lao-sao-401014-2566-2570/project/1"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("cli") / "store"
    store = open_store(Settings(data_dir=data_dir))
    bootstrap(store, Settings(data_dir=data_dir))
    store.close()
    del store
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT / "src"),
        "KGSERVICE_DATA_DIR": str(data_dir),
    }


def kgservice(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kgservice", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_search_builds_the_index_and_prints_the_matches(env: dict[str, str]) -> None:
    done = kgservice(env, "search", "ถนน คสล.", "--limit", "3")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "10 found"
    assert len(lines) == 4 and all("คสล." in line for line in lines[1:])
    assert Path(env["KGSERVICE_DATA_DIR"] + "-search", "state.json").is_file()


def test_rebuild(env: dict[str, str]) -> None:
    done = kgservice(env, "search-index", "--rebuild")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rebuilt: ")
    assert ROAD in kgservice(env, "search", "ถนน คสล.").stdout


def test_a_search_without_words_is_exit_2_with_one_line(env: dict[str, str]) -> None:
    done = kgservice(env, "search", '"*"')
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no words" in done.stderr
