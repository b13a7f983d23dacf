"""One read of a remote store's version token shared by every caller who asked while it waited
to begin, so that many readers at once cost the store few reads and none is told a version
older than the moment it asked.

A caller is answered by the first read that *begins* after it asked: a read already under way
when it asks may have been answered before a write it must see (another process's, committed
just before it asked), so it waits for that read to end and joins the next one. Callers who ask
while one read is under way all join the same next read: at most one read is under way at a
time, and at most one waits, however many readers there are.

With a tolerance (``KGSERVICE_REMOTE_VERSION_TOLERANCE_MS``, none by default) a caller is also
answered by a read that began at most that long before it asked, with no request: another
process's write may then go unseen for that long, in exchange for fewer reads; this process's
own writes call ``outdate``, after which only a read begun later answers.
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedReads(Generic[T]):
    def __init__(self, read: Callable[[], T], *, tolerance_s: float = 0.0) -> None:
        self._read = read
        self._tolerance_s = tolerance_s
        self._began_at = -float("inf")
        """When the last read that ended without error began (``time.monotonic``)."""
        self._outdated_at = -float("inf")
        """When ``outdate`` was last called: reads begun before do not answer within the
        tolerance."""
        self._changed = threading.Condition()
        self._reading = False
        self._begun = 0
        """Reads begun so far."""
        self._ended = 0
        """The number of the last read that ended (reads end in the order they begin)."""
        self._outcome: tuple[T | None, BaseException | None] = (None, None)
        """The last read's value or error."""

    def __call__(self) -> T:
        """The value of a read begun after this call."""
        with self._changed:
            recent = time.monotonic() - self._began_at <= self._tolerance_s
            wanted = self._ended if recent else self._begun + 1
            while self._ended < wanted:
                if self._reading:
                    self._changed.wait()
                else:
                    self._read_now()
            value, error = self._outcome
        if error is not None:
            raise error
        return value  # type: ignore[return-value]  # set with no error by a read

    def outdate(self) -> None:
        """After a change this process made: no read begun before it answers within the
        tolerance."""
        with self._changed:
            self._outdated_at, self._began_at = time.monotonic(), -float("inf")

    def _read_now(self) -> None:
        """Read, outside the lock (which the caller holds), and tell everyone waiting."""
        self._reading, self._begun = True, self._begun + 1
        number, began_at = self._begun, time.monotonic()
        self._changed.release()
        try:
            outcome: tuple[T | None, BaseException | None] = (self._read(), None)
        except BaseException as exc:  # noqa: BLE001 - every caller of this read gets it
            outcome = (None, exc)
        finally:
            self._changed.acquire()
        self._reading, self._ended, self._outcome = False, number, outcome
        current = outcome[1] is None and began_at >= self._outdated_at
        self._began_at = began_at if current else -float("inf")
        self._changed.notify_all()
