"""The counts that decide whether a new query is refused: a query given up on before a thread
took it never runs and never counts as overdue, so it cannot keep the endpoint refusing."""

from kgservice.query.execution import _Census, _Ticket


def test_a_query_given_up_while_running_is_overdue_until_it_ends() -> None:
    census, ticket = _Census(), _Ticket()
    census.begin(ticket)
    census.abandon(ticket)
    assert (census.running, census.overdue) == (1, 1)
    census.finish(ticket)
    assert (census.running, census.overdue) == (0, 0)


def test_a_query_given_up_before_it_started_counts_only_while_it_still_runs() -> None:
    census, ticket = _Census(), _Ticket()
    census.abandon(ticket)  # the thread took it just after the caller gave up
    assert (census.running, census.overdue) == (0, 0)
    census.begin(ticket)
    assert (census.running, census.overdue) == (1, 1)
    census.finish(ticket)
    assert (census.running, census.overdue) == (0, 0)


def test_a_query_that_ends_in_time_leaves_nothing_counted() -> None:
    census, ticket = _Census(), _Ticket()
    census.begin(ticket)
    census.finish(ticket)
    census.abandon(ticket)  # a timeout that fires as the answer arrives
    assert (census.running, census.overdue) == (0, 0)
