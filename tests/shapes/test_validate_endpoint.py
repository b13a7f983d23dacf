"""``POST /validate`` through the real app, on the store holding the examples' context."""

import json
import socket
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kgservice.settings import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

EXAMPLES = PROJECT_ROOT / "tests" / "shapes"
VALID = (EXAMPLES / "R03-valid.ttl").read_bytes()
INVALID = (EXAMPLES / "R03-invalid-01.ttl").read_bytes()
PROJECT = "https://w3id.org/thaiplan/id/plan/example-lao-pao-40-2566-2570/project/1"
SH = "http://www.w3.org/ns/shacl#"
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def client(example_store: EmbeddedStore) -> Iterator[TestClient]:
    settings = Settings(memory=True, load_bundled_data=False, max_body_bytes=LIMIT)
    with TestClient(create_app(settings, store=example_store)) as client:
        yield client


def post(client: TestClient, body: bytes, content_type: str = "text/turtle", **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/validate", content=body, headers={"Content-Type": content_type, **headers})


def test_a_conforming_plan_gets_an_empty_report(client: TestClient) -> None:
    response = post(client, VALID)
    assert response.status_code == 200
    assert response.json() == {
        "conforms": True,
        "counts": {"violation": 0, "warning": 0, "info": 0},
        "results": [],
    }


def test_a_violation_is_reported_in_thai_by_default(client: TestClient) -> None:
    response = post(client, INVALID)
    assert response.headers["content-language"] == "th"
    body = response.json()
    assert body["conforms"] is False
    (result,) = body["results"]
    assert result["rule"] == "R03"
    assert result["shape"] == "https://w3id.org/thaiplan/shapes#R03-local-project-supports-higher"
    assert result["focus"] == PROJECT
    assert result["severity"] == "Violation"
    assert result["message"].startswith("โครงการนี้ไม่ได้สนับสนุน")


def test_accept_language_picks_english_messages(client: TestClient) -> None:
    response = post(client, INVALID, **{"Accept-Language": "en-GB,en;q=0.9,th;q=0.5"})
    assert response.headers["content-language"] == "en"
    assert response.json()["results"][0]["message"].startswith("This project supports no")


def test_the_full_shacl_report_as_turtle(client: TestClient) -> None:
    response = post(client, INVALID, Accept="text/turtle")
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    by_predicate = {t.predicate.value: t.object for t in triples}
    assert by_predicate[SH + "conforms"] == ox.Literal(
        "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    )
    assert by_predicate[SH + "focusNode"] == ox.NamedNode(PROJECT)
    messages = {t.object for t in triples if t.predicate.value == SH + "resultMessage"}
    assert {m.language for m in messages} == {"th", "en"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_the_report_in_other_rdf_formats(
    client: TestClient, accept: str, fmt: ox.RdfFormat
) -> None:
    response = post(client, INVALID, Accept=accept)
    assert response.headers["content-type"].startswith(accept)
    focus = [
        t.object
        for t in ox.parse(response.content, format=fmt)
        if t.predicate.value == SH + "focusNode"
    ]
    assert focus == [ox.NamedNode(PROJECT)]


def test_an_unacceptable_report_format_is_406(client: TestClient) -> None:
    assert post(client, INVALID, Accept="image/png").status_code == 406


@pytest.mark.parametrize(
    "fmt",
    [
        ox.RdfFormat.N_TRIPLES,
        ox.RdfFormat.N_QUADS,
        ox.RdfFormat.TRIG,
        ox.RdfFormat.JSON_LD,
        ox.RdfFormat.RDF_XML,
    ],
    ids=lambda f: f.name,
)
def test_every_input_format_gives_the_same_report(client: TestClient, fmt: ox.RdfFormat) -> None:
    body = ox.serialize(ox.parse(INVALID, format=ox.RdfFormat.TURTLE), format=fmt)
    assert post(client, body, fmt.media_type).json() == post(client, INVALID).json()


def test_a_syntax_error_is_400_with_line_and_column(client: TestClient) -> None:
    response = post(
        client, b"@prefix tp: <https://w3id.org/thaiplan/ontology#> .\n<https://e.org/a> tp:x .\n"
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["line"], body["column"]) == ("rdf_syntax", 2, 24)
    assert "line 2 column 24" in body["message"]


def test_malformed_utf8_is_400_with_the_byte_offset(client: TestClient) -> None:
    response = post(client, b'<https://e.org/s> <https://e.org/p> "\xc3\x28" .')
    assert response.status_code == 400
    assert response.json()["byte"] == 37


@pytest.mark.parametrize("content_type", ["text/n3", "application/json", "text/plain", ""])
def test_other_content_types_are_415(client: TestClient, content_type: str) -> None:
    assert post(client, VALID, content_type).status_code == 415


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    body = VALID + b"# " + b"x" * LIMIT + b"\n"
    assert post(client, body).status_code == 413


def test_a_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    chunks = iter([VALID, b"# " + b"x" * LIMIT + b"\n"])
    response = client.post("/validate", content=chunks, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 413


def test_validation_stores_nothing(client: TestClient, example_store: EmbeddedStore) -> None:
    before = example_store.graphs()
    post(client, INVALID)
    post(client, VALID, "text/turtle")
    assert example_store.graphs() == before
    assert not bool(example_store.query("ASK { ?s ?p ?o }", bindings={"s": ox.NamedNode(PROJECT)}))


def test_a_remote_json_ld_context_is_refused_without_any_connection(client: TestClient) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        doc = {"@context": f"http://127.0.0.1:{port}/ctx", "@id": PROJECT, "name": "x"}
        response = post(client, json.dumps(doc).encode(), "application/ld+json")
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # a fetch would have completed its TCP handshake by now
    assert response.status_code == 400
    assert "remote @context" in response.json()["message"]


def test_rdf_xml_with_entities_is_refused_unexpanded(client: TestClient) -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9))
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY l0 "lol">{laughs}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://e.org/">'
        '<rdf:Description rdf:about="https://e.org/s"><e:p>&l8;</e:p></rdf:Description></rdf:RDF>'
    ).encode()
    response = post(client, body, "application/rdf+xml")
    assert response.status_code == 400
    assert "DOCTYPE" in response.json()["message"]


def test_a_christian_era_plan_year_is_a_violation_proposing_the_buddhist_era_year(
    client: TestClient,
) -> None:
    body = (EXAMPLES / "R09-invalid-04.ttl").read_bytes()  # starts in 2023
    for lang, era in (("th", "พ.ศ."), ("en", "B.E.")):
        report = post(client, body, **{"Accept-Language": lang}).json()
        assert report["conforms"] is False
        (result,) = [r for r in report["results"] if r["shape"].endswith("plan-year-buddhist-era")]
        assert (result["severity"], result["value"]) == ("Violation", "2023")
        assert "2566" in result["message"] and era in result["message"]


def test_a_year_that_is_no_integer_at_all_is_reported_once(client: TestClient) -> None:
    body = (EXAMPLES / "R07-invalid-06.ttl").read_bytes()  # "abc"^^xsd:integer
    report = post(client, body, **{"Accept-Language": "en"}).json()
    assert [r["value"] for r in report["results"] if r["rule"] == "R07"] == ["abc"]
