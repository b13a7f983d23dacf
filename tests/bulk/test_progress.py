"""A load's progress: a bar redrawn in place on a terminal, log lines otherwise."""

import io
import logging
import re
import subprocess
import sys

import pytest

from kgservice.bulk.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_bar_is_redrawn_in_place_with_count_rate_and_time() -> None:
    screen = Terminal()
    progress = Progress("loading", total=10_000, stream=screen)
    list(progress.counted(range(5_000)))
    progress.close()
    last = screen.getvalue().split("\r")[-1]
    assert last.startswith("loading [############------------]  50% 5,000 statements, ")
    assert "/s, 0:0" in last and last.endswith("\x1b[K\n")


def test_elsewhere_it_logs_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kgservice.load")
    progress = Progress("reading", stream=io.StringIO())
    progress.advance(12_345)
    progress.close()
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("reading 12,345 statements, ")


STAGES = """
import logging
from kgservice.bulk.progress import stage
logging.basicConfig(level=logging.INFO, format="%(message)s")
with stage("small"):
    pass
with stage("large"):
    held = b"x" * (256 << 20)  # written, so resident
    del held
with stage("after"):
    pass
"""


def test_each_stage_logs_the_peak_so_far_so_the_stage_that_raised_it_shows() -> None:
    """The stage that held 256 MB more than any before it is the first line to show a peak
    that much higher; the stage after it, holding little, keeps showing that peak. (A process
    of its own: the peak is the process's.)"""
    run = subprocess.run([sys.executable, "-c", STAGES], capture_output=True, text=True, check=True)
    small, large, after = (_peak_gb(line) for line in run.stderr.splitlines())
    assert large >= small + 0.25
    assert after == large


def _peak_gb(line: str) -> float:
    match = re.search(r", peak memory (\d+\.\d\d) GB$", line)
    assert match, line
    return float(match.group(1))
