"""N-Triples read line by line: the fast way through both passes of a national export.

Going through the parser costs a few microseconds a statement in Python objects, minutes for ten
million. N-Triples has one statement a line and a subject at its start, so the first pass finds
the few ownership statements and counts subjects with regular expressions over large blocks, and
the second puts each line, its graph written after the object, into its batch as N-Quads
without parsing it; the parser reads the batch when it is validated and loaded, so a malformed
line is still refused before its batch is written. Blank-node labels get the file's number, as
the parser's renaming would give two files' ``_:b1`` two nodes.
"""

import re
from collections import Counter
from collections.abc import Iterator

from kgservice.bulk.ownership import HELD, HELD_PRIORITY, LEVEL, LINKS, Ownership
from kgservice.bulk.sources import RdfFile
from kgservice.errors import RdfSyntaxError
from kgservice.namespaces import TP

BLOCK = 8 << 20
_TERM = rb"(<[^>]*>|_:[^ \t]+)"
_WS = rb"[ \t]+"
_PREDICATES = "|".join(p.removeprefix(TP) for p in [*LINKS, *HELD, LEVEL])
_OWNERSHIP = re.compile(
    rb"\n"
    + _TERM
    + _WS
    + rb"<"
    + re.escape(TP.encode())
    + rb"("
    + _PREDICATES.encode()
    + rb")>"
    + _WS
    + _TERM
)
_BLANK_OBJECT = re.compile(rb"\n" + _TERM + _WS + rb"<[^>]*>" + _WS + rb"_:([^ \t]+)")
_BLANK_AS_OBJECT = re.compile(rb"^(" + _TERM + _WS + rb"<[^>]*>" + _WS + rb")_:")


def blocks(source: RdfFile) -> Iterator[bytes]:
    """The file in blocks of whole lines."""
    with source.open() as stream:
        rest = b""
        while block := stream.read(BLOCK):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest + b"\n"


def scan(ownership: Ownership, block: bytes, file: int) -> int:
    """The first pass over one block; returns its number of statements."""
    block = b"\n" + block
    keys = _keys(ownership)
    counted = Counter(keys.findall(block))
    for key, n in counted.items():
        ownership.statements[key.decode()] += n
    for subject, name, obj in _OWNERSHIP.findall(block):
        child, parent = _node(subject, file), _node(obj, file)
        predicate = TP + name.decode()
        if predicate in LINKS:
            ownership.link(child, LINKS[predicate], parent)
        elif predicate in HELD:
            ownership.link(parent, HELD_PRIORITY, child)
        else:
            ownership.levels[child] = parent
    for subject, label in _BLANK_OBJECT.findall(block):
        ownership.link(blank_key(file, label), HELD_PRIORITY, _node(subject, file))
    return block.count(b"\n") - 1


def _keys(ownership: Ownership) -> re.Pattern[bytes]:
    """A subject's plan (``{base}plan/P`` for ``<{base}plan/P/...>``) or the subject itself."""
    plans = re.escape(ownership.plans.encode())
    return re.compile(rb"\n<(" + plans + rb"[^/>]+(?=/)|[^>]*)>")


def _node(term: bytes, file: int) -> str:
    return term[1:-1].decode() if term.startswith(b"<") else blank_key(file, term[2:])


def blank_key(file: int, label: bytes) -> str:
    return f"_:{file}:{label.decode()}"


def lines(source: RdfFile, file: int) -> Iterator[tuple[int, bytes, str | None]]:
    """Each statement line, stripped, with its line number and its subject (an IRI or a
    blank-node key)."""
    number = 0
    for block in blocks(source):
        for line in block.split(b"\n"):
            number += 1
            line = line.strip()
            if not line or line.startswith(b"#"):
                continue
            if not line.endswith(b"."):
                raise RdfSyntaxError(
                    f"{source.path}: line {number}: a statement must end with '.'",
                    file=str(source.path),
                    line=number,
                )
            yield number, line, _subject(line, file)


def _subject(line: bytes, file: int) -> str | None:
    if line.startswith(b"<"):
        return line[1 : line.find(b">")].decode()
    if line.startswith(b"_:"):
        return blank_key(file, line[2:].split(None, 1)[0])
    return None


def in_graph(line: bytes, graph: bytes, file: int) -> bytes:
    """The N-Quads line for ``line`` in ``graph`` (``<iri>``), blank nodes made the file's."""
    if b"_:" in line:
        line = _own_blank_nodes(line, b"_:f%dx" % file)
    return line[:-1].rstrip() + b" " + graph + b" .\n"


def _own_blank_nodes(line: bytes, prefix: bytes) -> bytes:
    if line.startswith(b"_:"):
        line = prefix + line[2:]
    found = _BLANK_AS_OBJECT.match(line)
    if found:
        line = line[: found.end(1)] + prefix + line[found.end() :]
    return line
