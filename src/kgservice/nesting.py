"""How deep an RDF/XML or JSON-LD body nests, measured before pyoxigraph parses it.

pyoxigraph's parsers cannot be given a depth limit. Its RDF/XML parser takes time growing with
the square of the depth (20,000 elements deep: 7 s) and its JSON-LD parser recurses on the
thread's stack (4,000 objects deep crash the process). Its Turtle and TriG parsers keep a stack
of their own and take time linear in the depth (a million deep: 1.5 s), so a body in those is
limited by its number of triples and blank nodes instead. N-Triples and N-Quads do not nest.
"""

import re
from xml.parsers import expat

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_OTHER = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


class _Deeper(Exception):
    pass


def xml_depth(data: bytes, *, stop_above: int) -> int:
    """The deepest element nesting of ``data``, counting stopped once past ``stop_above``.

    A body that is not well-formed XML is measured as far as it is; the RDF/XML parser then
    reports what is wrong with it and where.
    """
    depth = deepest = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth, deepest
        depth += 1
        deepest = max(deepest, depth)
        if depth > stop_above:
            raise _Deeper

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except (_Deeper, expat.ExpatError):
        pass
    return deepest


def json_depth(data: bytes, *, stop_above: int) -> int:
    """The deepest nesting of objects and arrays in ``data``, brackets in strings not counted."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _JSON_OTHER)
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in _OPENING else -1
        if depth > deepest:
            deepest = depth
            if deepest > stop_above:
                break
    return deepest
