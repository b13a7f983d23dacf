"""The one reading of a Content-Type header, for query bodies and RDF bodies alike."""

from kgservice.mediatype import ContentType, content_type


def test_the_media_type_and_charset_are_read_in_lower_case() -> None:
    assert content_type(' Text/Turtle ; Charset="UTF-8"') == ContentType("text/turtle", "utf-8")


def test_without_a_charset_the_body_is_read_as_utf8() -> None:
    assert content_type("application/sparql-query").utf8
    assert content_type("") == ContentType("", "utf-8")


def test_other_charsets_are_named_as_sent() -> None:
    found = content_type("application/sparql-query; foo=bar; charset=Latin-1")
    assert (found.charset, found.utf8) == ("latin-1", False)
