"""A whole build of the search index in a forked process, beside the work of the process that
started it, which waits for what is left of it once that work is done."""

import ctypes
import multiprocessing
import os
import signal
import sys
import warnings
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Forked:
    """``run`` in a forked process, started: it shares the objects ``run`` was given and uses
    nothing of the starting process's store. ``niceness``: how much lower its CPU priority is."""

    def __init__(self, run: Callable[[], None], *, niceness: int = 0) -> None:
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=_child, args=(run, niceness), name="search-index")
        with warnings.catch_warnings():
            # Python 3.12 warns of fork in a process with threads (the store's): the child
            # never touches the store, only the Python objects it was given and an index
            # of its own, so no lock another thread held matters to it
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            self.process.start()

    def join(self) -> int:
        """Waits for it to end; its exit code."""
        self.process.join()
        return self.process.exitcode or 0

    def stop(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()


def _child(run: Callable[[], None], niceness: int) -> None:
    """Ended with the starting process, however that ends."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if niceness:
        os.nice(niceness)
    run()
