"""Requests per second with several concurrent clients, for a fixed number of requests and
never longer than a time bound."""

import threading
import time
from collections.abc import Callable

from kgbench.client import HttpClient

Send = Callable[[HttpClient], object]


def throughput(
    port: Callable[[], int],
    send: Send,
    *,
    clients: int,
    requests: int,
    bound_s: float,
    cap_s: float,
) -> dict[str, object]:
    lock = threading.Lock()
    state = {"issued": 0, "done": 0, "errors": 0}
    deadline = time.perf_counter() + bound_s

    def client_loop() -> None:
        client = HttpClient(port(), cap_s)
        while time.perf_counter() < deadline:
            with lock:
                if state["issued"] >= requests:
                    break
                state["issued"] += 1
            try:
                send(client)
                key = "done"
            except Exception:  # noqa: BLE001 - counted, the run goes on
                key = "errors"
            with lock:
                state[key] += 1
        client.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "clients": clients,
        "completed": state["done"],
        "errors": state["errors"],
        "seconds": round(elapsed, 2),
        "requests_per_s": round(state["done"] / elapsed, 1),
    }
