import pyoxigraph as ox
import pytest

from kgservice.query.binding import Term
from kgservice.query.prepare import prepare, prepare_update
from kgservice.query.text import Remote


def remote_operations(sparql: str) -> list[Remote]:
    """As the guard finds them: in a prepared update, and in a prepared query."""
    found = list(prepare_update(sparql).remote)
    assert list(prepare(sparql).remote) == found
    return found


def test_service_iris_are_found_with_prefixes_and_base_resolved() -> None:
    query = """BASE <http://b.example/dir/>
    PREFIX e: <http://e.example/>
    SELECT * { SERVICE e:one { ?s ?p ?o } SERVICE SILENT <two> { ?s ?p ?o } }"""
    assert remote_operations(query) == [
        Remote("SERVICE", "http://e.example/one"),
        Remote("SERVICE", "http://b.example/dir/two"),
    ]


def test_a_service_variable_has_no_iri() -> None:
    assert remote_operations("SELECT * { SERVICE $endpoint { ?s ?p ?o } }") == [
        Remote("SERVICE", None)
    ]


def test_keywords_inside_strings_comments_iris_and_names_are_not_keywords() -> None:
    query = '''SELECT ?service ?load WHERE {
      ?s <http://x.example/SERVICE> "SERVICE <http://no.example/>" ;
         ex:LOAD """LOAD <http://no.example/>""" , 'service', "x"@service .
      # SERVICE <http://no.example/> { }
      _:service ?p ?o .
    }'''
    assert remote_operations(query) == []


def test_load_is_found_in_an_update() -> None:
    assert remote_operations("load silent <http://l.example/data.ttl> into graph <g>") == [
        Remote("LOAD", "http://l.example/data.ttl")
    ]


@pytest.mark.parametrize(
    "glued",
    ["{ ?s ?p 1 }SERVICE", "{ ?s ?p ?o .SERVICE", "{ ?s ?p 1.0SERVICE", "{ ?s ?p ?o }กSERVICE"],
)
def test_service_right_after_another_token_is_found(glued: str) -> None:
    query = f"SELECT * WHERE {glued} <http://x.example/> {{ ?a ?b ?c }} }}"
    assert remote_operations(query) == [Remote("SERVICE", "http://x.example/")]


def test_words_that_contain_service_or_load_are_not_keywords() -> None:
    query = """SELECT ?service WHERE { ?a a tp:PublicServiceAgreement ; ex:download ?load ;
      ex:p ?_service , :load , ex:a:service , ex:a.load } # a service"""
    assert remote_operations(query) == []


S = ox.NamedNode("http://s.example/")


def bound(query: str, **terms: Term) -> str:
    return prepare(query, engine_sorts=True).bound(terms)


def test_values_are_bound_at_the_start_of_the_where_pattern() -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    p = "<http://p.example/>"
    assert bound(query, p=ox.NamedNode(p[1:-1])) == (
        f"CONSTRUCT {{ ?s {p} ?o }} WHERE {{ VALUES (?p) {{ ({p}) }}  ?s {p} ?o }}"
    )


def test_values_go_into_a_select_without_the_where_keyword() -> None:
    found = bound("SELECT * { ?s ?p ?o }", o=ox.Literal("ข", language="th"), s=S)
    values = 'VALUES (?o ?s) { ("ข"@th <http://s.example/>) }'
    assert found == f'SELECT * {{ {values}  <http://s.example/> ?p "ข"@th }}'


def test_substitution_replaces_a_variable_inside_patterns_only() -> None:
    query = """SELECT ?s (COUNT(?o) AS ?n) WHERE {
      VALUES ?s { UNDEF } { ?s ?p ?o FILTER(?s != $o) } UNION { BIND(?s AS ?t) }
    } GROUP BY ?s ORDER BY ?s"""
    expected = (
        query.replace("{ ?s ?p", f"{{ {S} ?p")
        .replace("FILTER(?s", f"FILTER({S}")
        .replace("BIND(?s", f"BIND({S}")
        .replace("WHERE {", f"WHERE {{ VALUES (?s) {{ ({S}) }} ", 1)
    )
    assert bound(query, s=S) == expected


def test_substitution_leaves_strings_and_similar_names_alone() -> None:
    query = 'SELECT * WHERE { ?s ?p "?s" . ?sa ?p ?s }'
    assert bound(query, s=ox.Literal("x")) == (
        'SELECT * WHERE { VALUES (?s) { ("x") }  "x" ?p "?s" . ?sa ?p "x" }'
    )


def test_bind_writes_terms_in_and_values_at_the_pattern_start_even_after_a_template() -> None:
    query = "CONSTRUCT { ?s <p> ?o . ?o <q> ?s } WHERE { ?s <p> ?o }"
    terms: dict[str, Term] = {"s": ox.NamedNode("http://s.example/long"), "o": ox.Literal("{x}")}
    expected = (
        'CONSTRUCT { <http://s.example/long> <p> "{x}" . "{x}" <q> <http://s.example/long> }'
        ' WHERE { VALUES (?s ?o) { (<http://s.example/long> "{x}") } '
        ' <http://s.example/long> <p> "{x}" }'
    )
    for _ in range(2):  # the second time from the text's kept reading
        assert prepare(query).bound(terms) == expected
    other = prepare(query).bound({"s": ox.NamedNode("http://o.example/")})  # another value
    assert other == (
        "CONSTRUCT { <http://o.example/> <p> ?o . ?o <q> <http://o.example/> }"
        " WHERE { VALUES (?s) { (<http://o.example/>) }  <http://o.example/> <p> ?o }"
    )
