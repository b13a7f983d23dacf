"""The heavy queries' turns: so many run at once, so many more wait, and no client holds more
than its share of either.

A client is whatever the HTTP layer says it is: the address the request came from (behind a
proxy, the address the proxy reports, when the settings trust it). A client past its share gets
429 with ``Retry-After`` while other clients' queries go on; past the queue, anyone gets 503.
"""

import math
import threading
from collections import Counter
from collections.abc import Callable

from kgservice.errors import ClientOverShare, ServerBusy
from kgservice.settings import Settings


class Turns:
    def __init__(self, settings: Settings) -> None:
        self.retry_after_s = math.ceil(settings.query_timeout_s)
        self.heavy_after_s = settings.heavy_query_after_s
        self._running = threading.Semaphore(settings.heavy_queries)
        self._queue_size = settings.heavy_query_queue
        self._share = settings.heavy_queries_per_client
        self._lock = threading.Lock()
        self._waiting = 0
        self._held: Counter[str] = Counter()
        """Each client's heavy queries, running or waiting."""

    def take(self, client: str, wait: Callable[[], None], timeout_s: float) -> bool:
        """A turn for ``client``'s query, or an error saying why not. Without a free turn,
        ``wait()`` is called (the caller stops its query) and the query waits up to
        ``timeout_s``; False when it gave up. Each turn taken is ``give_back``'d."""
        with self._lock:
            if self._admitted(client):
                return True
            if self._waiting >= self._queue_size:
                raise self._busy()
            self._waiting += 1
            self._held[client] += 1
        wait()
        taken = False
        try:
            taken = self._running.acquire(timeout=max(0.0, timeout_s))
        finally:
            with self._lock:
                self._waiting -= 1
                if not taken:
                    self._let_go(client)
        return taken

    def take_now(self, client: str) -> None:
        """A turn at once for ``client``'s query, which cannot be stopped to wait (it runs in
        this process): 429 past its share, 503 without a free turn."""
        with self._lock:
            if not self._admitted(client):
                raise self._busy()

    def give_back(self, client: str) -> None:
        self._running.release()
        with self._lock:
            self._let_go(client)

    def _admitted(self, client: str) -> bool:
        """Whether ``client`` holds a running turn now; 429 past its share. Under the lock."""
        if self._held[client] >= self._share:
            raise self._over_share()
        if not self._running.acquire(blocking=False):
            return False
        self._held[client] += 1
        return True

    def _let_go(self, client: str) -> None:
        self._held[client] -= 1
        if not self._held[client]:
            del self._held[client]

    def _busy(self) -> ServerBusy:
        return ServerBusy(
            "มีคำค้นหนักรอคิวเต็มแล้ว กรุณาลองใหม่ภายหลัง (too many heavy queries are running or "
            f"waiting; try again in {self.retry_after_s} s)",
            headers={"Retry-After": str(self.retry_after_s)},
        )

    def _over_share(self) -> ClientOverShare:
        return ClientOverShare(
            f"คุณมีคำค้นหนักทำงานอยู่ครบ {self._share} รายการแล้ว กรุณาลองใหม่ภายหลัง (you already "
            f"have {self._share} heavy queries running or waiting; try again in "
            f"{self.retry_after_s} s)",
            headers={"Retry-After": str(self.retry_after_s)},
            heavy_queries_per_client=self._share,
        )
