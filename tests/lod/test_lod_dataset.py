"""/void, the dumps, /ontology and /shapes against the store they describe."""

import gzip

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kgservice.namespaces import PREFIXES, TP, TPS

VOID = PREFIXES["void"]
BASE = "https://w3id.org/thaiplan/id/"


def void_store(client: TestClient, accept: str = "text/turtle") -> ox.Store:
    response = client.get("/void", headers={"Accept": accept})
    assert response.status_code == 200
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.from_media_type(accept.split(";")[0]))
    return store


def one(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query("PREFIX void: <http://rdfs.org/ns/void#>\n" + query)
    return [{v.value: row[v.value].value for v in result.variables} for row in result]  # type: ignore[union-attr]


def test_void_counts_equal_the_store(client: TestClient) -> None:
    graphs = client.app.state.store.graphs()  # type: ignore[attr-defined]
    void = void_store(client)
    total = one(void, "SELECT ?n WHERE { ?d void:triples ?n ; void:sparqlEndpoint ?e }")
    assert int(total[0]["n"]) == sum(graphs.values())
    subsets = one(void, "SELECT ?g ?n WHERE { ?d void:subset ?g . ?g void:triples ?n }")
    assert {r["g"]: int(r["n"]) for r in subsets} == graphs


def test_void_class_partitions_count_instances(client: TestClient) -> None:
    void = void_store(client, "application/n-triples")
    rows = one(
        void, "SELECT ?c ?n WHERE { ?d void:classPartition [ void:class ?c ; void:entities ?n ] }"
    )
    entities = {r["c"]: int(r["n"]) for r in rows}
    assert entities[TP + "Project"] == 2
    assert entities[TP + "LocalDevelopmentPlan"] == 2


def test_void_names_dumps_vocabularies_and_licence(client: TestClient) -> None:
    void = void_store(client)
    vocabularies = {r["v"] for r in one(void, "SELECT ?v WHERE { ?d void:vocabulary ?v }")}
    assert {TP, PREFIXES["rdfs"]} <= vocabularies
    dumps = {r["u"] for r in one(void, "SELECT ?u WHERE { ?d void:dataDump ?u }")}
    assert "http://testserver/dumps/all.nq.gz" in dumps
    assert "http://testserver/dumps/khon-kaen.nq.gz" in dumps
    titles = one(
        void, "SELECT ?t WHERE { ?d void:sparqlEndpoint ?e ; <http://purl.org/dc/terms/title> ?t }"
    )
    assert len(titles) == 2
    licences = one(
        void,
        "SELECT ?l WHERE { ?d void:sparqlEndpoint ?e ; <http://purl.org/dc/terms/license> ?l }",
    )
    assert licences == [{"l": "https://creativecommons.org/licenses/by/4.0/"}]


def test_well_known_void_is_the_same_description(client: TestClient) -> None:
    def named(store: ox.Store) -> set[ox.Quad]:
        return {
            q
            for q in store
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        }

    assert named(void_store(client)) == named(_well_known(client))


def _well_known(client: TestClient) -> ox.Store:
    store = ox.Store()
    store.load(client.get("/.well-known/void").content, format=ox.RdfFormat.TURTLE)
    return store


def load_dump(client: TestClient, path: str) -> ox.Store:
    response = client.get(path)
    assert response.status_code == 200
    store = ox.Store()
    store.load(gzip.decompress(response.content), format=ox.RdfFormat.N_QUADS)
    return store


def test_whole_dump_loads_back_to_the_same_graphs(client: TestClient) -> None:
    graphs = client.app.state.store.graphs()  # type: ignore[attr-defined]
    reloaded = load_dump(client, "/dumps/all.nq.gz")
    assert {
        g.value: sum(1 for _ in reloaded.quads_for_pattern(None, None, None, g))
        for g in reloaded.named_graphs()
    } == graphs


def test_graph_dump_holds_that_graph_only(client: TestClient) -> None:
    graphs = client.app.state.store.graphs()  # type: ignore[attr-defined]
    reloaded = load_dump(client, "/dumps/khon-kaen.nq.gz")
    assert [g.value for g in reloaded.named_graphs()] == [BASE + "graph/khon-kaen"]
    assert len(reloaded) == graphs[BASE + "graph/khon-kaen"]
    assert client.get("/dumps/no-such-graph.nq.gz").status_code == 404


def test_ontology_page_lists_every_class(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    classes = {
        row["c"].value
        for row in store.query(
            "SELECT ?g ?c WHERE { GRAPH ?g { ?c a <http://www.w3.org/2002/07/owl#Class> } }",
            bindings={"g": ox.NamedNode(BASE + "graph/ontology")},
        )
        if row["c"].value.startswith(TP)
    }
    assert len(classes) > 30
    html = client.get("/ontology").text
    for c in classes:
        assert f'id="{c[len(TP) :]}"' in html, c
    assert 'lang="en">A plan element is part of a plan' in html


def test_ontology_turtle_by_negotiation(client: TestClient) -> None:
    graphs = client.app.state.store.graphs()  # type: ignore[attr-defined]
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    parsed = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert len(parsed) == graphs[BASE + "graph/ontology"]


def test_shapes_page_lists_every_rule_with_both_messages(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    shapes = {
        row["s"].value
        for row in store.query("SELECT ?s WHERE { ?s <http://www.w3.org/ns/shacl#message> ?m }")
        if row["s"].value.startswith(TPS)
    }
    assert shapes
    html = client.get("/shapes").text
    for shape in shapes:
        assert f'id="{shape[len(TPS) :]}"' in html
    assert "ต้องมีชื่อ (rdfs:label) ภาษาไทยหนึ่งชื่อพอดี" in html
    turtle = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
