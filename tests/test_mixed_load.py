"""The mixed-load benchmark on a few seconds of traffic: every kind of traffic was sent, no
hostile input got a 5xx, and every accepted write is in the store (timings are not checked)."""

import pytest

from kgbench.mixed_load import KINDS, Options, Results, render, run


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    work = tmp_path_factory.mktemp("mixed-load")
    return run(Options(seconds=4, work=work, query_timeout_s=2))


def test_every_kind_of_traffic_was_sent(results):
    assert all(sum(results.tally.statuses[kind].values()) > 0 for kind in KINDS)


def test_no_hostile_input_gets_a_5xx(results):
    assert results.hostile_5xx == 0, render(results, "which input, and what else was answered")
    assert all(status // 100 == 4 for status in results.tally.statuses["hostile inputs"])


def test_every_accepted_write_is_in_the_store(results):
    assert sum(results.tally.accepted.values()) >= len(results.organisations)
    assert results.writes_check


def test_the_report_has_a_row_per_kind_and_the_checks(results):
    report = render(results, "python -m kgbench.mixed_load --seconds 4")
    assert all(f"| {kind} | " in report for kind in KINDS)
    assert "5xx (or no answer) to hostile inputs: 0" in report
    assert "every accepted write is in the store: yes" in report
