"""Servers the benchmark starts and stops: free ports, readiness, resident memory, and ending a
server with its children."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import kgservice

PACKAGE_ROOT = str(Path(kgservice.__file__).resolve().parents[1])


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the harness's own Python children: they import this same package."""
    path = os.pathsep.join(p for p in (PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float | None:
    """Resident memory of a live process (None once it has gone)."""
    return _status_mb(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float | None:
    return _status_mb(pid, "VmHWM")


def _status_mb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except FileNotFoundError:
        return None
    return None


def wait_ready(url: str, proc: subprocess.Popen[bytes], deadline_s: float) -> float:
    """Seconds until ``url`` answers 2xx; raises TimeoutError past the deadline."""
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if 200 <= response.status < 300:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} not ready within {deadline_s} s")


def children(pid: int) -> list[int]:
    """The direct children of a live process (a service's query workers)."""
    ps = ["ps", "-o", "pid=", "--ppid", str(pid)]
    return [
        int(child) for child in subprocess.run(ps, capture_output=True, text=True).stdout.split()
    ]


def kill(proc: subprocess.Popen[bytes]) -> None:
    """End a process and its children at once: a killed server cannot end its workers itself."""
    for child in children(proc.pid):
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.kill()
    proc.wait()


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            kill(proc)
