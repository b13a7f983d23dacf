"""Reading named-query headers and turning text parameters into RDF terms."""

import re

import pyoxigraph as ox
import pytest
from queries_support import SETTINGS

from kgservice.errors import BadRequest, NotFound
from kgservice.query import named
from kgservice.query.named import Parameter, QueryFileError, parse

HEADER = """#+ summary: Plans of a province
#+ summary_th: แผนของจังหวัด
#+ param: province iri required the province
#+ param: fiscalYear integer optional
#+ param: title string optional a title
SELECT ?province ?fiscalYear ?title WHERE { ?plan ?p ?province }
"""


def test_the_header_gives_summaries_and_typed_parameters() -> None:
    query = parse("plans", HEADER)
    assert query.summary == {"en": "Plans of a province", "th": "แผนของจังหวัด"}
    assert query.parameters == (
        Parameter("province", "iri", True, "the province"),
        Parameter("fiscalYear", "integer", False, ""),
        Parameter("title", "string", False, "a title"),
    )


def test_a_parameter_line_with_an_unknown_type_is_refused() -> None:
    with pytest.raises(QueryFileError, match="plans.rq"):
        parse("plans", "#+ param: province area required\nSELECT * {}")


def test_rows_of_names_the_variables_that_bind_each_rows_organisations() -> None:
    query = parse("pairs", "#+ rows-of: owner ?twinOwner\nSELECT * { ?a ?owner ?twinOwner }")
    assert query.rows_of == ("owner", "twinOwner")
    assert parse("plans", HEADER).rows_of == ()


def test_rows_of_a_variable_the_query_does_not_have_is_refused() -> None:
    with pytest.raises(QueryFileError, match="pairs.rq: rows-of 'owner'"):
        parse("pairs", "#+ rows-of: owner\nSELECT * { ?a ?b ?c }")


def test_values_become_rdf_terms_of_the_declared_type() -> None:
    query = parse("plans", HEADER)
    terms = named.bind(
        query,
        {"province": "https://w3id.org/thaiplan/id/area/40", "fiscalYear": "2567", "title": "ถนน"},
    )
    assert terms == {
        "province": ox.NamedNode("https://w3id.org/thaiplan/id/area/40"),
        "fiscalYear": ox.Literal("2567", datatype=named.XSD_INTEGER),
        "title": ox.Literal("ถนน"),
    }


def test_an_optional_parameter_left_out_or_empty_stays_unbound() -> None:
    query = parse("plans", HEADER)
    assert set(named.bind(query, {"province": "urn:x:1", "title": ""})) == {"province"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "missing required parameter 'province'"),
        ({"province": "area/40"}, "'province' must be an absolute IRI"),
        ({"province": "https://x/ y"}, "'province' must be an absolute IRI"),
        ({"province": "urn:x:1", "fiscalYear": "2567.5"}, "'fiscalYear' must be an integer"),
        ({"province": "urn:x:1", "year": "2567"}, "unknown parameter 'year'"),
    ],
)
def test_wrong_parameters_are_bad_requests(params: dict[str, str], message: str) -> None:
    with pytest.raises(BadRequest, match=re.escape(message)):
        named.bind(parse("plans", HEADER), params)


def test_an_unknown_name_is_not_found() -> None:
    with pytest.raises(NotFound):
        named.find("no-such-query", SETTINGS.queries_dir)


@pytest.mark.parametrize(
    "query", named.load_named_queries(SETTINGS.queries_dir), ids=lambda q: q.name
)
def test_every_query_file_is_documented_and_projects_its_parameters(
    query: named.NamedQuery,
) -> None:
    assert set(query.summary) == {"en", "th"}
    # pyoxigraph binds a parameter only when the query returns its variable.
    head = query.text.split("WHERE")[0]
    assert all(f"?{p.name}" in head for p in query.parameters)
