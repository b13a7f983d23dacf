"""A load's progress: a bar redrawn in place on a terminal, log lines otherwise."""

import io
import logging

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
