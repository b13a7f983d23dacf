"""Readers of a remote store's version at once share one read, and none is told a version read
before it asked (``store/version_reads.py``): real threads around a read that is held open."""

import threading

import pytest
from service_support import asking

from kgservice.store.version_reads import SharedReads

WAITING_S = 0.3  # long enough for a started thread to reach the shared read and wait there


class Store:
    """A version counter whose reads can be held open, counting them."""

    def __init__(self) -> None:
        self.version = 0
        self.reads = 0
        self.read_begun = threading.Event()
        self.hold = threading.Event()
        self.failing = False

    def read(self) -> int:
        seen = self.version  # as a store answers: what was committed when the read began
        self.reads += 1
        self.read_begun.set()
        self.hold.wait()
        if self.failing:
            raise ConnectionError("the store went away")
        return seen


def test_a_reader_who_asks_during_a_read_is_told_the_write_committed_before_it_asked() -> None:
    store = Store()
    shared = SharedReads(store.read)
    first: list[object] = []
    early = asking(shared, first)
    store.read_begun.wait()
    store.version = 1  # another process's write, committed while that read is under way
    later: list[object] = []
    late = asking(shared, later)
    late.join(WAITING_S)
    assert late.is_alive()  # not answered by the read that began before it asked
    store.hold.set()
    early.join()
    late.join()
    assert first == [0]
    assert later == [1]


def test_readers_who_ask_during_one_read_share_the_next() -> None:
    store = Store()
    shared = SharedReads(store.read)
    answers: list[object] = []
    threads = [asking(shared, answers)]
    store.read_begun.wait()
    store.version = 1
    threads += [asking(shared, answers) for _ in range(6)]
    for thread in threads[1:]:
        thread.join(WAITING_S)
        assert thread.is_alive()
    store.hold.set()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [0, 1, 1, 1, 1, 1, 1]  # type: ignore[type-var]
    assert store.reads == 2


def test_every_reader_of_a_failed_read_is_told_why_and_the_next_reader_reads_again() -> None:
    store = Store()
    store.failing = True
    shared = SharedReads(store.read)
    answers: list[object] = []
    threads = [asking(shared, answers)]
    store.read_begun.wait()
    threads += [asking(shared, answers) for _ in range(3)]
    store.hold.set()
    for thread in threads:
        thread.join()
    assert all(isinstance(a, ConnectionError) for a in answers) and len(answers) == 4
    store.failing = False
    store.version = 2
    assert shared() == 2


def test_one_reader_alone_reads_each_time() -> None:
    store = Store()
    store.hold.set()
    shared = SharedReads(store.read)
    seen = []
    for version in range(3):
        store.version = version
        seen.append(shared())
    assert seen == [0, 1, 2]
    assert store.reads == 3


def test_with_a_tolerance_a_recent_read_answers_unless_this_process_wrote_since() -> None:
    store = Store()
    store.hold.set()
    shared = SharedReads(store.read, tolerance_s=3600)
    assert shared() == 0
    store.version = 1  # another process's write, unseen within the tolerance
    assert [shared(), shared()] == [0, 0]
    assert store.reads == 1
    store.version = 2  # this process's own write
    shared.outdate()
    assert shared() == 2
    assert store.reads == 2


def test_with_a_tolerance_a_failed_read_is_not_reused() -> None:
    store = Store()
    store.hold.set()
    store.failing = True
    shared = SharedReads(store.read, tolerance_s=3600)
    with pytest.raises(ConnectionError):
        shared()
    store.failing = False
    assert shared() == 0
    assert store.reads == 2
