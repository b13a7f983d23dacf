"""A load killed with ``kill -9`` part-way, or stopped by a full disk, then run again with the
same arguments, ends with every organisation whole and the default graph their set union (a
start of the service in between serves none half-loaded, and the union of what it serves); and
a load into a store that another process holds is refused."""

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loaded import concatenated, default_graph_is_the_union, graphs, statements_per_graph

from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store import open_store
from kgservice.store.embedded import EmbeddedStore

SRC = str(Path(__file__).parents[2] / "src")
POLLS = 2400
"""Looks at the journal every 50 ms, for two minutes at most."""
ORGANISATIONS = 8
FULL_AT = 5 << 20
"""Bytes a file may grow to before the disk is "full": more than the spool's and the report's
files, less than what the store writes once a few organisations are in."""


@pytest.fixture(scope="module")
def few(organisation_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The provincial plan and a few local governments, each with its imperfections."""
    names = sorted({p.stem for p in organisation_files})[:ORGANISATIONS] + ["provincial-40"]
    return [p for p in organisation_files if p.stem in names]


def command(national_file: Path, data_dir: Path, report: Path) -> list[str]:
    return [
        sys.executable, "-m", "kgservice", "load", str(national_file), "--by-organisation",
        "--on-violation", "keep", "--report", str(report), "--data-dir", str(data_dir),
    ]  # fmt: skip


def environment() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "KGSERVICE_LOAD_BATCH_STATEMENTS": "1000"}


def journal(data_dir: Path) -> Path:
    return data_dir.with_name(data_dir.name + ".load-journal")


def finished_graphs(path: Path) -> set[str]:
    if not path.exists():
        return set()
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]
    return {graph for entry in entries for graph in entry.get("done", ())}


def graphs_after_a_start(data_dir: Path) -> dict[str, int]:
    settings = Settings(data_dir=data_dir)
    store = open_store(settings)  # released (its lock too) when this returns
    try:
        bootstrap(store, settings)
        return store.graphs()
    finally:
        store.close()


def test_a_load_killed_part_way_continues_when_run_again(
    few: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    expected_graphs = statements_per_graph(few)
    national_file = concatenated(few, tmp_path / "few.nt")
    arguments = command(national_file, data_dir, tmp_path / "r.jsonl")
    before = graphs(data_dir)
    with subprocess.Popen(arguments, env=environment(), stderr=subprocess.DEVNULL) as load:
        for _ in range(POLLS):
            if finished_graphs(journal(data_dir)) or load.poll() is not None:
                break
            time.sleep(0.05)
        assert load.poll() is None, "the load ended before any batch could be interrupted"
        load.send_signal(signal.SIGKILL)
    done = finished_graphs(journal(data_dir))
    stored = graphs(data_dir)
    assert all(stored[g] == expected_graphs[g] for g in done)  # what the journal says is whole
    assert len(done) < len(expected_graphs)

    started = graphs_after_a_start(data_dir)  # of the service, before the load runs again
    assert all(started.get(g) in (before.get(g), n) for g, n in expected_graphs.items())
    assert default_graph_is_the_union(data_dir)  # the killed load's copy, made at the start

    _run_again_and_find_every_graph_whole(arguments, data_dir, expected_graphs)


def test_a_load_stopped_by_a_full_disk_says_so_and_finishes_when_run_again(
    national_file: Path, expected_graphs: dict[str, int], data_dir: Path, tmp_path: Path
) -> None:
    arguments = command(national_file, data_dir, tmp_path / "r.jsonl")
    full = subprocess.run(
        arguments, env=environment(), capture_output=True, text=True, preexec_fn=_small_disk
    )
    assert full.returncode == 4
    message = full.stderr.strip().splitlines()[-1]
    assert message.startswith("error: cannot write: ")
    assert "File too large" in message
    assert "run the same command again" in message
    done = finished_graphs(journal(data_dir))
    stored = graphs(data_dir)
    assert all(stored[g] == expected_graphs[g] for g in done)
    assert 0 < len(done) < len(expected_graphs)

    _run_again_and_find_every_graph_whole(arguments, data_dir, expected_graphs)


def _run_again_and_find_every_graph_whole(
    arguments: list[str], data_dir: Path, expected_graphs: dict[str, int]
) -> None:
    """The same command, run again, finishes: every graph whole, no journal left, the default
    graph the union of the named graphs."""
    again = subprocess.run(arguments, env=environment(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    stored = graphs(data_dir)
    assert {g: stored.get(g) for g in expected_graphs} == expected_graphs
    assert not journal(data_dir).exists()
    assert default_graph_is_the_union(data_dir)


def _small_disk() -> None:
    """No file may grow past ``FULL_AT``: a write past it fails (EFBIG) as one to a full disk
    does (ENOSPC), instead of the signal that would end the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FULL_AT, FULL_AT))


def test_a_load_into_a_store_another_process_holds_exits_3_with_one_line(
    few: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    national_file = concatenated(few, tmp_path / "few.nt")
    holder = EmbeddedStore(data_dir)
    try:
        arguments = command(national_file, data_dir, tmp_path / "r.jsonl")
        refused = subprocess.run(arguments, env=environment(), capture_output=True, text=True)
    finally:
        holder.close()
    assert refused.returncode == 3
    (line,) = refused.stderr.strip().splitlines()
    assert "the store is in use by another process" in line
