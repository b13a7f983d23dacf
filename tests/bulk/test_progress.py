"""A load's progress: a bar redrawn in place on a terminal, log lines otherwise."""

import io
import logging
import re

import pytest

from kgservice.bulk.progress import Progress, stage


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


def test_each_stage_logs_the_most_memory_it_held(caplog: pytest.LogCaptureFixture) -> None:
    """A load's peak is told per stage, so that the stage that made it can be found: a stage
    that held 256 MB says so, and the next one, which held little, says less."""
    caplog.set_level(logging.INFO, logger="kgservice.load")
    with stage("large"):
        held = b"x" * (256 << 20)  # written, so resident
        del held
    with stage("small"):
        pass
    large, small = (_peak_gb(r.getMessage()) for r in caplog.records)
    assert large >= 0.25
    assert small < large - 0.2


def _peak_gb(line: str) -> float:
    match = re.search(r", peak memory (\d+\.\d\d) GB$", line)
    assert match, line
    return float(match.group(1))
