"""``kgservice token`` commands run side by side, as separate processes: none loses another's
change."""

import os
import subprocess
import sys
from pathlib import Path

from plan_store import BASE

from kgservice.auth import TokenFile
from kgservice.settings import PROJECT_ROOT

ORG = f"{BASE}org/lao-pao-40"
CONCURRENT = 8
ROUNDS = 2  # one revoke by id, one by the token itself
CREATES_BESIDE_REVOKE = 4
SECONDS = 60


def start(tokens_file: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "KGSERVICE_TOKENS_FILE": str(tokens_file)}
    env["PYTHONPATH"] = str(PROJECT_ROOT / "src")
    command = [sys.executable, "-m", "kgservice", "token", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> str:
    """The process's output, once it has exited with 0 (within SECONDS)."""
    try:
        out, _ = process.communicate(timeout=SECONDS)
    finally:
        process.kill()
    assert process.returncode == 0
    return out


def created_tokens(tokens_file: Path, count: int) -> list[str]:
    """``count`` tokens made at the same time; each printed on its command's last line."""
    processes = [start(tokens_file, "create", "--org", ORG) for _ in range(count)]
    return [finish(p).splitlines()[-1] for p in processes]


def test_concurrent_creates_all_keep_their_token(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "tokens.json")
    printed = created_tokens(tokens.path, CONCURRENT)
    assert len(tokens.records()) == CONCURRENT
    assert all(tokens.find(token) is not None for token in printed)


def test_a_revoke_beside_creates_takes_effect(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "tokens.json")
    for n in range(ROUNDS):
        record, doomed = tokens.create(ORG, admin=False)
        by = record.id if n % 2 else doomed
        creating = [
            start(tokens.path, "create", "--org", ORG) for _ in range(CREATES_BESIDE_REVOKE)
        ]
        revoking = start(tokens.path, "revoke", by)
        printed = [finish(p).splitlines()[-1] for p in creating]
        assert f"revoked token {record.id}" in finish(revoking)
        assert tokens.find(doomed) is None
        assert all(tokens.find(token) is not None for token in printed)
