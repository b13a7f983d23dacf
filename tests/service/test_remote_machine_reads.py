"""The service processes of one machine share their reads of a remote store's version, and
none is told a version read before it asked (``store/machine_reads.py``): real processes,
around a read held open, then over a real store written between their reads."""

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from subprocess import PIPE

import pytest
from engines import REMOTE_ENGINES
from service_support import asking

from kgservice.settings import Settings
from kgservice.store import open_store
from kgservice.store.machine_reads import MachineReads, version_reads

WAITING_S = 0.5  # long enough for a started process to reach the shared read and wait there

HELD_READER = """
import sys, time
from pathlib import Path
from kgservice.store.machine_reads import MachineReads
shared, store, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
def read():
    seen = (store / "version").read_text()  # as a store answers: what was committed then
    with (store / "reads").open("a") as reads:
        reads.write(name + "\\n")
    (store / f"begun-{name}").touch()
    while not (store / "release").exists():
        time.sleep(0.01)
    return seen
shared_reads = MachineReads(read, shared)
(store / f"asking-{name}").touch()
print(shared_reads(), flush=True)
"""

READER = """
import sys, threading
from kgservice.settings import Settings
from kgservice.store import open_store
store = open_store(Settings())
for line in sys.stdin:
    seen = []
    readers = [threading.Thread(target=lambda: seen.append(store.version)) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    print(" ".join(map(str, sorted(set(seen)))), flush=True)
"""


def held_reader(shared: Path, store: Path, name: str) -> "subprocess.Popen[str]":
    script = [sys.executable, "-c", HELD_READER, str(shared), str(store), name]
    return subprocess.Popen(script, stdout=subprocess.PIPE, text=True)


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.01)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "version").write_text("v0")
    return folder


def test_a_process_that_asks_during_another_s_read_is_told_the_write_committed_before(
    tmp_path: Path, store: Path
) -> None:
    shared = tmp_path / "shared"
    early = held_reader(shared, store, "early")
    wait_for(store / "begun-early")
    (store / "version").write_text("v1")  # a write committed while that read is under way
    late = held_reader(shared, store, "late")
    wait_for(store / "asking-late")
    time.sleep(WAITING_S)
    assert late.poll() is None  # not answered by the read that began before it asked
    (store / "release").touch()
    assert early.communicate()[0].split() == ["v0"]
    assert late.communicate()[0].split() == ["v1"]


def test_processes_that_ask_during_one_read_share_the_next(tmp_path: Path, store: Path) -> None:
    shared = tmp_path / "shared"
    early = held_reader(shared, store, "early")
    wait_for(store / "begun-early")
    (store / "version").write_text("v1")
    later = [held_reader(shared, store, f"later-{n}") for n in range(3)]
    for n in range(3):
        wait_for(store / f"asking-later-{n}")
    time.sleep(WAITING_S)
    assert [process.poll() for process in later] == [None] * 3
    (store / "release").touch()
    assert early.communicate()[0].split() == ["v0"]
    assert [process.communicate()[0].split() for process in later] == [["v1"]] * 3
    assert len((store / "reads").read_text().split()) == 2  # the early read and one more


class HeldStore:
    """Reads that are held open until let go, answering in turn the outcomes given."""

    def __init__(self, *outcomes: str | ConnectionError) -> None:
        self.outcomes = list(outcomes)
        self.reads = 0
        self.began = threading.Semaphore(0)
        self.go = threading.Semaphore(0)

    def read(self) -> str:
        outcome = self.outcomes[self.reads]
        self.reads += 1
        self.began.release()
        self.go.acquire(timeout=30)  # a read nobody lets go of ends the test, failed
        if isinstance(outcome, ConnectionError):
            raise outcome
        return outcome


def test_callers_waiting_for_a_read_that_failed_are_told_why_and_the_next_reads_again(
    tmp_path: Path,
) -> None:
    store = HeldStore("v0", ConnectionError("the store went away"), "v1")
    shared = MachineReads(store.read, tmp_path / "shared")
    answers: list[object] = []
    first = asking(shared, answers)
    store.began.acquire()
    waiting = [asking(shared, answers) for _ in range(3)]
    time.sleep(WAITING_S)  # all three asked during the first read
    store.go.release()
    store.began.acquire()  # one of them reads next, and that read fails
    store.go.release()
    for thread in [first, *waiting]:
        thread.join()
    assert answers[0] == "v0"
    assert [type(a) for a in answers[1:]] == [ConnectionError] * 3
    assert store.reads == 2  # the other two were told of the failed read, not read again
    store.go.release()
    assert shared() == "v1"


@contextmanager
def reader_process(settings: Settings) -> Iterator["subprocess.Popen[str]"]:
    """A process reading the version of the store of ``settings`` in four threads at once each
    time it is sent a line, answering the versions it was told."""
    env = {
        "PATH": "/usr/bin:/bin",
        "KGSERVICE_STORE": "remote",
        "KGSERVICE_STORE_DIALECT": settings.store_dialect,
        "KGSERVICE_REMOTE_QUERY_URL": str(settings.remote_query_url),
        "KGSERVICE_REMOTE_UPDATE_URL": settings.remote_update_url or "",
        "KGSERVICE_LOAD_BUNDLED_DATA": "false",
    }
    script = [sys.executable, "-c", READER]
    with subprocess.Popen(script, stdin=PIPE, stdout=PIPE, text=True, env=env) as process:
        try:
            yield process
        finally:
            process.kill()


def read_versions(*processes: "subprocess.Popen[str]") -> list[list[int]]:
    """The versions each process was told, all asked at once."""
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("read\n")
        process.stdin.flush()
    return [[int(v) for v in p.stdout.readline().split()] for p in processes]  # type: ignore[union-attr]


@pytest.mark.parametrize("store_settings", REMOTE_ENGINES, indirect=True)
def test_reader_processes_see_each_write_committed_before_they_asked(
    store_settings: Settings,
) -> None:
    writer = open_store(store_settings)
    try:
        with reader_process(store_settings) as one, reader_process(store_settings) as two:
            first = read_versions(one, two)
            assert [len(seen) for seen in first] == [1, 1]
            for round_ in range(1, 4):
                writer.update(" ;\n".join(writer.version_change()))
                assert read_versions(one, two) == [[first[0][0] + round_], [first[1][0] + round_]]
    finally:
        writer.close()


def test_where_the_folder_is_not_the_user_s_alone_each_process_reads_for_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / f"kgservice-{os.getuid()}"
    folder.mkdir()
    folder.chmod(0o777)  # another user could put a token of its own there
    reads = version_reads(lambda: "v0", "http://127.0.0.1:1/sparql", tolerance_s=0)
    assert reads() == "v0"
    assert list(folder.iterdir()) == []
