from kgservice.sparqltext import Remote, remote_operations, sets_own_dataset, with_values


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


def test_from_in_the_query_is_its_own_dataset() -> None:
    assert sets_own_dataset("SELECT * FROM NAMED <g> { GRAPH ?g { ?s ?p ?o } }")
    assert not sets_own_dataset('SELECT ?from WHERE { ?from ?p "from" }')


def test_values_are_bound_at_the_start_of_the_where_pattern() -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    bound = with_values(query, {"p": "<http://p.example/>"})
    assert (
        bound == "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?p) { (<http://p.example/>) }  ?s ?p ?o }"
    )


def test_values_go_into_a_select_without_the_where_keyword() -> None:
    bound = with_values("SELECT * { ?s ?p ?o }", {"o": '"ข"@th', "s": "<http://s.example/>"})
    assert bound == 'SELECT * { VALUES (?o ?s) { ("ข"@th <http://s.example/>) }  ?s ?p ?o }'
