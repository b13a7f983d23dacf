"""Work done after a request has been answered, by a thread that runs only while there is some.

A thread that waited for the next piece of work for ever would hold what the work holds (the
service's store: an on-disk store's lock outlives an app that was never shut down); this one
ends when no work is left and starts again at the next ``wake``.
"""

import threading
from collections.abc import Callable


class OnDemand:
    def __init__(self, name: str, work: Callable[[], None]) -> None:
        self._name = name
        self._work = work
        """Does what is to do now; called again if woken meanwhile."""
        self._lock = threading.Lock()
        self._woken = self._running = False

    def wake(self) -> None:
        """``work`` runs once more, after everything done before this call."""
        with self._lock:
            self._woken = True
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name=self._name, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._woken:
                    self._running = False
                    return
                self._woken = False
            self._work()
