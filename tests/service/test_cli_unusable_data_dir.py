"""A data directory that cannot be made or opened: exit 3 with one line naming it, whichever
command meets it (the tokens file lives beside it by default)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from engines import free_port

SRC = Path(__file__).parents[2] / "src"
ORG = "https://w3id.org/thaiplan/id/org/lao-pao-40"


def kgservice(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "KGSERVICE_DATA_DIR": str(data_dir)}
    env.pop("KGSERVICE_TOKENS_FILE", None)
    command = [sys.executable, "-m", "kgservice", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "args",
    [("info",), ("export",), ("token", "create", "--org", ORG), ("token", "list")],
)
def test_a_data_directory_under_a_file_is_exit_3_with_one_line(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    a_file = tmp_path / "not-a-directory"
    a_file.write_text("")
    done = kgservice(a_file / "store", *args)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "not-a-directory" in done.stderr


def test_serve_says_why_it_cannot_start(tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-directory"
    a_file.write_text("")
    done = kgservice(a_file / "store", "serve", "--port", str(free_port()))
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("kgservice serve:") and "not-a-directory" in last
