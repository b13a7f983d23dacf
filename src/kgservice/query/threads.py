"""The threads queries run on: an idle one is reused, a new one starts when all are busy.

Starting a thread per query cost about 2 ms in the server (the event loop waits until the new
thread holds the GIL), more than many queries take. Reusing threads removes that, and since a
thread is started whenever none is idle, every query still starts at once: a long query never
waits behind another. A thread that finishes its query while ``max_idle`` others are idle ends;
the default keeps enough for a busy server's concurrent clients, so that a burst of queries does
not stall the event loop starting threads again.
"""

import logging
import queue
import threading
from collections.abc import Callable

Job = Callable[[], None]
NAME = "sparql"
log = logging.getLogger(__name__)


class QueryThreads:
    def __init__(self, max_idle: int = 16) -> None:
        self.max_idle = max_idle
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0  # threads waiting for a job that no submitted job has claimed yet
        self._busy = 0

    @property
    def busy(self) -> int:
        """Jobs submitted and not finished: queries running (or about to) in the engine."""
        return self._busy

    def submit(self, job: Job) -> None:
        with self._lock:
            self._busy += 1
            reuse = self._idle > 0
            if reuse:
                self._idle -= 1  # that thread's next job is this one
        self._jobs.put(job)
        if not reuse:
            threading.Thread(target=self._serve, daemon=True, name=NAME).start()

    def _serve(self) -> None:
        # Waits for a job without a timeout: a timed wait made each hand-over 20 us slower.
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:  # a job reports its own outcome; this thread serves on
                log.exception("a query job failed")
            del job  # nor keep its result alive while idle
            with self._lock:
                self._busy -= 1
                if self._idle >= self.max_idle:
                    return
                self._idle += 1
