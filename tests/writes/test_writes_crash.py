"""A write interrupted by ``kill -9`` leaves the on-disk store exactly as it was before it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from plan_store import graph_triples

from kgservice.store.embedded import EmbeddedStore

HELPER = Path(__file__).parent / "large_write.py"
GRAPH = "https://w3id.org/thaiplan/id/graph/lao-pao-40"


def child(mode: str, data_dir: Path, count: int) -> subprocess.Popen[str]:
    paths = [str(Path(__file__).parents[2] / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    return subprocess.Popen(
        [sys.executable, str(HELPER), mode, str(data_dir), str(count)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def contents(data_dir: Path) -> tuple[dict[str, int], set[ox.Triple]]:
    store = EmbeddedStore(data_dir)
    try:
        return store.graphs(), graph_triples(store, GRAPH)
    finally:
        store.close()


def test_a_write_killed_while_committing_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    with child("kill", data_dir, 3) as seed:
        seed.communicate()
    assert seed.returncode == 0
    before = contents(data_dir)
    assert before[0][GRAPH] == 3

    # Big enough that its commit takes seconds even on a fast machine.
    with child("kill", data_dir, 100_000) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "COMMITTING"
        time.sleep(0.5)
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    assert "COMMITTED" not in rest, "the write finished before it could be killed"

    assert contents(data_dir) == before
