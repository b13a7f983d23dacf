"""Requests per second from ``wrk`` (Debian package ``wrk``), a load generator written in C,
light enough to leave the machine's cores to the processes measured, and the CPU time each
process took meanwhile: the generator's own, each service process's and the store's.

Its connections are dealt among the ports: each of ``wrk``'s threads sends to one port (a
``setup`` hook in Lua), ``connections`` shared evenly between the threads.
"""

import json
import os
import resource
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path

from kgbench.processes import children

THREADS = 2
TIMEOUT_S = 120
SCRIPT = """\
local ports = {{{ports}}}
local threads = 0
function setup(thread)
  thread.addr = wrk.lookup("127.0.0.1", tostring(ports[threads % #ports + 1]))[1]
  threads = threads + 1
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {{"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed (Debian package wrk)")
    return found


def load(
    ports: Sequence[int],
    target: str,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    *,
    connections: int,
    seconds: int,  # whole seconds: wrk takes no fraction
    watched: Mapping[str, Sequence[int]],
) -> dict[str, object]:
    """``connections`` clients asking ``target`` for ``seconds``, dealt among ``ports``; the
    requests per second, and CPU milliseconds per request of the generator and of each group
    of ``watched`` processes (and their children)."""
    url = f"http://127.0.0.1:{ports[0]}{target}?{urllib.parse.urlencode(params)}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(SCRIPT.format(ports=", ".join(str(p) for p in ports)))
    argv = [wrk(), "-t", str(THREADS), "-c", str(connections), "-d", f"{seconds}s"]
    argv += ["--timeout", f"{TIMEOUT_S}s"]  # wrk's own is 2 s, less than a computed answer
    argv += [*(a for name, value in headers.items() for a in ("-H", f"{name}: {value}"))]
    argv += ["-s", lua.name, url]
    before = {group: _cpu_s(pids) for group, pids in watched.items()}
    generator = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    finally:
        Path(lua.name).unlink()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or "RESULT " not in done.stdout:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    cpu = {group: _cpu_s(pids) - before[group] for group, pids in watched.items()}
    cpu["generator"] = after.ru_utime + after.ru_stime - generator.ru_utime - generator.ru_stime
    found = json.loads(done.stdout.rpartition("RESULT ")[2])
    served, elapsed_s = found["requests"], found["duration_us"] / 1e6
    return {
        "connections": connections,
        "requests": served,
        "errors": found["errors"],
        "seconds": round(elapsed_s, 2),
        "requests_per_s": round(served / elapsed_s, 1),
        "p50_ms": found["p50_us"] / 1000,
        "p99_ms": found["p99_us"] / 1000,
        "cpu_ms_per_request": {g: round(1000 * s / max(served, 1), 3) for g, s in cpu.items()},
        "cpu_cores": {g: round(s / elapsed_s, 2) for g, s in cpu.items()},
    }


def _cpu_s(pids: Sequence[int]) -> float:
    """User and system CPU seconds of ``pids`` and their live children so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in [*pids, *(c for p in pids for c in children(p))]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (the 14th and 15th fields)
    return total / tick
