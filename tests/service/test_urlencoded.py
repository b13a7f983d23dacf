"""Form and query-string decoding answers exactly as urllib's parse_qsl does."""

import random
from urllib.parse import parse_qsl, urlencode

import pytest

from kgservice.web.urlencoded import parse

QUERY = 'SELECT ?s WHERE { ?s <http://x/p> "ก\\\\d+ 50% \\"q\\"" } # \\x41 %41\n'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "query",
        "query=",
        "=value",
        "&&a=1&&a=2&",
        "a=b=c",
        "q=a+b%2Bc",
        "q=%E0%B8%81%E0%B8%B2",  # Thai, escaped
        "q=ก%E0%B8%81",  # Thai sent as is, then escaped
        "q=%E0%B8",  # cut-off UTF-8
        "q=%C3%28",  # not UTF-8
        "q=50%",
        "q=%zz%4",
        "q=%5C%5cx41%41",
        "q=\\x41%41",  # a backslash as is, then an escape
        "q=\\%41",
        "q=\\\\x41%25x41",
        "q=\\N{DASH}%41",
        "x%3D1=2",
        urlencode({"query": QUERY, "default-graph-uri": "http://x/g?a=1&b=2"}),
    ],
)
def test_answers_as_parse_qsl(text: str) -> None:
    assert parse(text) == parse_qsl(text, keep_blank_values=True)


def test_random_text_answers_as_parse_qsl() -> None:
    draw = random.Random(3)
    alphabet = "ab \\%+=&\n{}<>:#?ก\"'xF0Nu"
    for _ in range(3000):
        text = "".join(draw.choice(alphabet) for _ in range(draw.randint(0, 24)))
        for sent in (text, urlencode({"q": text, text: "v"})):
            assert parse(sent) == parse_qsl(sent, keep_blank_values=True), sent
