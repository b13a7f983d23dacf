"""The threads queries run on: reused when idle, never making a query wait for another."""

import threading
import time
from collections.abc import Callable

import pytest

from kgservice.query.threads import QueryThreads


def run(threads: QueryThreads, job: Callable[[], object]) -> int:
    """Run ``job`` on ``threads`` and wait for it; the ident of the thread it ran on."""
    done = threading.Event()
    ran_on: list[int] = []

    def wrapped() -> None:
        job()
        ran_on.append(threading.get_ident())
        done.set()

    threads.submit(wrapped)
    assert done.wait(5)
    return ran_on[0]


def wait_until_idle(threads: QueryThreads) -> None:
    while threads.busy:
        time.sleep(0.001)


def test_queries_one_after_another_reuse_one_thread() -> None:
    threads = QueryThreads()
    idents = set()
    for _ in range(5):
        idents.add(run(threads, lambda: None))
        wait_until_idle(threads)
    assert len(idents) == 1


def test_a_query_does_not_wait_for_one_still_running() -> None:
    threads = QueryThreads()
    release = threading.Event()
    threads.submit(lambda: release.wait(5))
    try:
        assert threads.busy == 1
        run(threads, lambda: None)  # answered while the first is still running
        assert not release.is_set()
    finally:
        release.set()
    wait_until_idle(threads)
    assert threads.busy == 0


def test_a_failing_job_leaves_the_thread_serving(caplog: pytest.LogCaptureFixture) -> None:
    threads = QueryThreads()

    def fail() -> None:
        raise RuntimeError("boom")

    threads.submit(fail)
    wait_until_idle(threads)
    first = run(threads, lambda: None)
    wait_until_idle(threads)
    assert run(threads, lambda: None) == first
    assert "a query job failed" in caplog.text


def test_threads_beyond_the_idle_allowance_end_and_queries_still_run() -> None:
    threads = QueryThreads(max_idle=1)
    release = threading.Event()
    serving: list[threading.Thread] = []

    def hold() -> None:
        serving.append(threading.current_thread())
        release.wait(5)

    for _ in range(3):
        threads.submit(hold)
    while len(serving) < 3:  # all three running at once, each on a thread of its own
        time.sleep(0.001)
    release.set()
    wait_until_idle(threads)
    for thread in serving:
        thread.join(0.5)
    assert sum(t.is_alive() for t in serving) == 1  # the one kept idle
    answered = []
    run(threads, lambda: answered.append(True))
    assert answered == [True]
