from collections.abc import Callable

import pyoxigraph as ox
import pytest

from kgservice.errors import NestingTooDeep, PayloadTooLarge, RdfSyntaxError, UnsupportedMediaType
from kgservice.rdfinput import BodyLimits, media_type_for_path, parse_rdf

TRIPLE = ox.Triple(
    ox.NamedNode("https://example.org/s"),
    ox.NamedNode("https://example.org/p"),
    ox.Literal("ค่า", language="th"),
)

SP = b"<https://example.org/s> <https://example.org/p> "
THAI = b'"\\u0E04\\u0E48\\u0E32"@th'

SAME_TRIPLE = {
    "text/turtle": SP + '"ค่า"@th .'.encode(),
    "application/n-triples": SP + THAI + b" .\n",
    "application/trig": b"{ " + SP + THAI + b" }",
    "application/n-quads": SP + THAI + b" .\n",
    "application/ld+json": (
        b'{"@id": "https://example.org/s", "https://example.org/p": '
        b'{"@value": "\\u0E04\\u0E48\\u0E32", "@language": "th"}}'
    ),
    "application/rdf+xml": (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:e="https://example.org/"><rdf:Description rdf:about="https://example.org/s">'
        b'<e:p xml:lang="th">&#x0E04;&#x0E48;&#x0E32;</e:p></rdf:Description></rdf:RDF>'
    ),
}


@pytest.mark.parametrize("media_type", sorted(SAME_TRIPLE))
def test_every_supported_format_gives_the_same_triple(media_type: str) -> None:
    dataset = parse_rdf(SAME_TRIPLE[media_type], media_type + "; charset=utf-8")
    assert [q.triple for q in dataset] == [TRIPLE]


def test_trig_keeps_named_graphs() -> None:
    data = b"<https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 }"
    (quad,) = parse_rdf(data, "application/trig")
    assert quad.graph_name == ox.NamedNode("https://example.org/g")


def test_relative_iris_resolve_against_the_base() -> None:
    (quad,) = parse_rdf(b"<s> <p> <o> .", "text/turtle", base_iri="https://example.org/")
    assert quad.subject == ox.NamedNode("https://example.org/s")


def test_a_syntax_error_names_line_and_column() -> None:
    data = b"@prefix x: <https://example.org/> .\nx:a x:b x:c ;\n  x:d .\n"
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(data, "text/turtle")
    assert caught.value.details["line"] == 3
    assert caught.value.details["column"] == 7
    assert "line 3 column 7" in caught.value.message


def test_json_ld_syntax_error_names_line_and_column() -> None:
    data = b'{"@id": "https://example.org/s",\n "https://example.org/p": [1, }'
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(data, "application/ld+json")
    assert (caught.value.details["line"], caught.value.details["column"]) == (2, 31)


def test_malformed_utf8_is_refused_with_its_byte_offset() -> None:
    data = b'<https://example.org/s> <https://example.org/p> "ok\xff" .'
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(data, "application/n-triples")
    assert caught.value.details == {"byte": 51}


def test_a_truncated_utf8_sequence_at_the_end_is_refused() -> None:
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(b"# \xe0\xb8", "text/turtle")
    assert caught.value.details == {"byte": 2}


@pytest.mark.parametrize(
    "media_type", ["text/n3", "application/json", "text/plain", "text/turtle; charset=latin-1"]
)
def test_other_media_types_are_unsupported(media_type: str) -> None:
    with pytest.raises(UnsupportedMediaType):
        parse_rdf(b"", media_type)


def test_a_body_over_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(PayloadTooLarge):
        parse_rdf(b"not even rdf", "text/turtle", limits=BodyLimits(max_bytes=5))


def test_json_ld_with_a_remote_context_is_refused() -> None:
    data = b'{"@context": "https://example.org/ctx", "@id": "https://example.org/s"}'
    with pytest.raises(RdfSyntaxError, match="remote @context"):
        parse_rdf(data, "application/ld+json")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://example.org/">
 <rdf:Description rdf:about="https://example.org/s"><e:p>&lol3;</e:p></rdf:Description>
</rdf:RDF>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://example.org/">
 <rdf:Description rdf:about="https://example.org/s"><e:p>&secret;</e:p></rdf:Description>
</rdf:RDF>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["recursive", "external"])
def test_rdf_xml_with_entities_is_refused(data: bytes) -> None:
    with pytest.raises(RdfSyntaxError, match="DOCTYPE") as caught:
        parse_rdf(data, "application/rdf+xml")
    assert caught.value.details == {"line": 2, "column": 1}


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("plan.ttl", "text/turtle"),
        ("PLAN.TTL", "text/turtle"),
        ("a/b.nt", "application/n-triples"),
        ("x.nq", "application/n-quads"),
        ("x.trig", "application/trig"),
        ("x.jsonld", "application/ld+json"),
        ("x.rdf", "application/rdf+xml"),
    ],
)
def test_media_type_comes_from_the_extension(name: str, media_type: str) -> None:
    assert media_type_for_path(name) == media_type


def test_an_unknown_extension_is_unsupported() -> None:
    with pytest.raises(UnsupportedMediaType, match="plan.docx"):
        media_type_for_path("plan.docx")


@pytest.mark.parametrize("media_type", sorted(SAME_TRIPLE))
def test_a_leading_byte_order_mark_is_accepted(media_type: str) -> None:
    dataset = parse_rdf(b"\xef\xbb\xbf" + SAME_TRIPLE[media_type], media_type)
    assert [q.triple for q in dataset] == [TRIPLE]


RDF_XML_HEAD = (
    b'<?xml version="1.0"?>\n'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns:e="https://example.org/">\n'
    b'  <rdf:Description rdf:about="https://example.org/s">\n'
)


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (b'    <e:p rdf:resource="a b"/>\n', 5),  # an RDF error: not an IRI
        (b"    <e:p>1</e:q>\n", 11),  # an XML error: the end tag does not match
        (b"    <f:p>1</f:p>\n", 5),  # an undeclared prefix
    ],
)
def test_rdf_xml_syntax_errors_name_line_and_column(line: bytes, column: int) -> None:
    data = RDF_XML_HEAD + b"    <e:p>ok</e:p>\n" + line + b"  </rdf:Description>\n</rdf:RDF>\n"
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(data, "application/rdf+xml")
    assert (caught.value.details["line"], caught.value.details["column"]) == (5, column)
    assert f"line 5 column {column}" in caught.value.message


def deep_rdf_xml(depth: int) -> bytes:
    """Nodes nested in property elements, ``depth`` elements deep under ``rdf:RDF``."""
    nodes = depth // 2
    return (
        RDF_XML_HEAD.removesuffix(b'  <rdf:Description rdf:about="https://example.org/s">\n')
        + b"<rdf:Description><e:p>" * nodes
        + b"<rdf:Description/>"
        + b"</e:p></rdf:Description>" * nodes
        + b"</rdf:RDF>"
    )


def deep_json_ld(depth: int) -> bytes:
    return b'{"https://example.org/p": ' * depth + b'"{[ not counted"' + b"}" * depth


@pytest.mark.parametrize("deep", [deep_rdf_xml, deep_json_ld], ids=["rdfxml", "jsonld"])
def test_nesting_past_the_limit_is_refused_before_parsing(deep: Callable[[int], bytes]) -> None:
    media_type = "application/rdf+xml" if deep is deep_rdf_xml else "application/ld+json"
    limits = BodyLimits(max_depth=100)
    assert len(parse_rdf(deep(90), media_type, limits=limits)) > 0
    # 5,000 objects deep crash pyoxigraph's JSON-LD parser (its stack), the process with it
    with pytest.raises(NestingTooDeep, match="KGSERVICE_MAX_NESTING_DEPTH") as caught:
        parse_rdf(deep(5000), media_type, limits=limits)
    assert caught.value.status == 422
    assert caught.value.details["limit"] == 100


def test_triples_past_the_limit_are_refused() -> None:
    data = b"".join(
        b"<https://example.org/s> <https://example.org/p> %d .\n" % i for i in range(11)
    )
    assert len(parse_rdf(data, "text/turtle", limits=BodyLimits(max_triples=11))) == 11
    with pytest.raises(PayloadTooLarge, match="KGSERVICE_MAX_TRIPLES_PER_BODY"):
        parse_rdf(data, "text/turtle", limits=BodyLimits(max_triples=10))


def test_blank_nodes_past_the_limit_are_refused() -> None:
    data = b"".join(b"_:b%d <https://example.org/p> [] .\n" % i for i in range(5))
    assert len(parse_rdf(data, "text/turtle", limits=BodyLimits(max_blank_nodes=10))) == 5
    with pytest.raises(PayloadTooLarge, match="KGSERVICE_MAX_BLANK_NODES_PER_BODY") as caught:
        parse_rdf(data, "text/turtle", limits=BodyLimits(max_blank_nodes=9))
    assert caught.value.status == 413
