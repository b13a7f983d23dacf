import pytest

from kgservice.errors import NotAcceptable
from kgservice.query.execution import Solutions
from kgservice.query.negotiation import (
    GRAPHS,
    RESULTS,
    choose,
    for_result,
    parse_accept,
    quality,
)


def test_no_accept_header_gets_the_first_offered_type() -> None:
    assert choose(None, RESULTS) == "application/sparql-results+json"
    assert choose("", GRAPHS) == "text/turtle"


def test_the_highest_q_wins() -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9"
    assert choose(accept, RESULTS) == "text/csv"


def test_a_more_specific_range_overrides_a_wildcard() -> None:
    accept = "text/*;q=0.9, text/csv;q=0.1, */*;q=0.2"
    assert choose(accept, RESULTS) == "text/tab-separated-values"


def test_q_zero_refuses_a_type() -> None:
    assert choose("*/*, application/sparql-results+json;q=0", RESULTS) == (
        "application/sparql-results+xml"
    )


def test_equal_preferences_fall_back_to_the_server_order() -> None:
    assert choose("application/rdf+xml, text/turtle", GRAPHS) == "text/turtle"


def test_a_browser_accept_header_gets_xml_results() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose(browser, RESULTS) == "application/xml"


def test_nothing_acceptable_raises_406_listing_what_is_available() -> None:
    with pytest.raises(NotAcceptable) as caught:
        choose("image/png, text/html", GRAPHS)
    assert caught.value.details["available"] == list(GRAPHS)


def test_the_format_parameter_takes_a_short_name_or_a_media_type() -> None:
    assert choose("text/turtle", GRAPHS, format="jsonld") == "application/ld+json"
    assert choose(None, RESULTS, format="text/csv") == "text/csv"


def test_a_format_that_does_not_fit_the_result_is_406() -> None:
    with pytest.raises(NotAcceptable):
        choose(None, GRAPHS, format="csv")


def test_parameters_and_case_are_handled() -> None:
    [media_range] = parse_accept(" Text/Turtle ; charset=UTF-8 ; q=0.7 ")
    assert (media_range.type, media_range.subtype, media_range.q) == ("text", "turtle", 0.7)


def test_malformed_ranges_are_ignored() -> None:
    ranges = parse_accept("garbage, */html, text/csv;q=abc, text/turtle")
    assert [(r.type, r.subtype) for r in ranges] == [("text", "csv"), ("text", "turtle")]
    assert quality(ranges, "text/csv") == 0.0


def test_a_boolean_result_is_never_offered_as_csv_or_tsv() -> None:
    assert for_result(True, None) == "application/sparql-results+json"
    for media_type in ("text/csv", "text/tab-separated-values"):
        with pytest.raises(NotAcceptable):
            for_result(False, media_type)
    assert for_result(Solutions(["x"], []), "text/csv") == "text/csv"
