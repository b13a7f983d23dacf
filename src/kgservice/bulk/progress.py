"""How far a load has got: a bar redrawn in place on a terminal, a log line now and then
otherwise (a service manager's journal, a CI log). Each stage ends with its wall time, its CPU
time and the most memory the process has held so far, so that a slow load shows which stage
took the time and a large one which stage raised the peak (the first line to show it)."""

import logging
import re
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

log = logging.getLogger("kgservice.load")
T = TypeVar("T")

WIDTH = 24
REDRAW_S = 0.2
LOG_EVERY_S = 10.0
_CHECK_EVERY = 4096
_STATUS = "/proc/self/status"
_PEAK = re.compile(r"^VmHWM:\s+(\d+) kB", re.M)


class Progress:
    """Counts statements through one stage of a load (``what``) out of ``total`` (if known)."""

    def __init__(self, what: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.what = what
        self.total = total
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.count = 0
        self.started = self._shown = time.monotonic()
        self.cpu = time.process_time()

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, counted as they pass."""
        n = 0
        for n, item in enumerate(items, 1):
            if n % _CHECK_EVERY == 0:
                self.advance(_CHECK_EVERY)
            yield item
        self.advance(n % _CHECK_EVERY)

    def advance(self, n: int) -> None:
        self.count += n
        now = time.monotonic()
        if now - self._shown >= (REDRAW_S if self.terminal else LOG_EVERY_S):
            self._shown = now
            self._show(now)

    def line(self, now: float | None = None) -> str:
        elapsed = (now or time.monotonic()) - self.started
        rate = self.count / elapsed if elapsed > 0 else 0.0
        done = ""
        if self.total:
            share = min(self.count / self.total, 1.0)
            filled = int(WIDTH * share)
            done = f" [{'#' * filled}{'-' * (WIDTH - filled)}] {share:4.0%}"
        return f"{self.what}{done} {self.count:,} statements, {rate:,.0f}/s, {_clock(elapsed)}"

    def _show(self, now: float) -> None:
        if self.terminal:
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()
        else:
            log.info("%s", self.line(now))

    def close(self) -> None:
        line = f"{self.line()}, CPU {time.process_time() - self.cpu:.1f} s, {peak_memory()}"
        if self.terminal:
            self.stream.write("\r" + line + "\x1b[K\n")
            self.stream.flush()
        else:
            log.info("%s", line)


@dataclass
class CpuShares:
    """The CPU time of the parts of a stage, for a line at its end: which part a large load
    spends its time in."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def spent(self, part: str) -> Iterator[None]:
        cpu = time.process_time()
        try:
            yield
        finally:
            spent = time.process_time() - cpu
            self.seconds[part] = self.seconds.get(part, 0.0) + spent

    def log(self, what: str) -> None:
        parts = ", ".join(f"{part} {s:.1f} s" for part, s in self.seconds.items())
        log.info("%s: CPU of %s", what, parts)


@contextmanager
def stage(what: str) -> Iterator[None]:
    """A log line when a stage with no statements to count (derived data, the index) ends:
    its wall and CPU time, so that a slow load shows where its time went."""
    wall, cpu = time.monotonic(), time.process_time()
    yield
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    log.info("%s: %.1f s, CPU %.1f s, %s", what, wall, cpu, peak_memory())


def peak_memory() -> str:
    """The most memory the process has held so far. Not reset per stage: resetting the
    high-water mark (``/proc/self/clear_refs``) would reset what ``/usr/bin/time`` reports too."""
    try:
        with open(_STATUS) as status:
            found = _PEAK.search(status.read())  # Linux, in KiB; ru_maxrss elsewhere
        kib = int(found.group(1)) if found else _max_rss_kib()
    except OSError:
        kib = _max_rss_kib()
    return f"peak memory {kib / (1 << 20):.2f} GB"


def _max_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"
