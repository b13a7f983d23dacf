"""Virtuoso's default graph made the set union of the named graphs, kept in a graph of its own.

Virtuoso's default graph is always its own union of every graph: a bag, where a triple held in
two graphs is two solutions, and no update can make it the copy of the set union that the other
stores keep in their default graph (``kgservice.store.union``). A graph named by ``FROM`` (or by
the protocol's ``default-graph-uri``, or ``define input:default-graph-uri``) would do as the
default graph, but Virtuoso then empties every ``GRAPH <iri>`` pattern (it takes the named
graphs to be those of ``FROM NAMED``: none), and ``define input:named-graph-exclude`` empties
them too. So the copy is kept in the graph ``COPY``, and what the service sends is rewritten:

- the ``WHERE`` of a query, or of an update operation, that names no dataset of its own (no
  ``FROM``, ``USING`` or ``WITH``, no graphs from the protocol) runs inside
  ``GRAPH <COPY> { ... }``: its patterns outside any ``GRAPH`` read the copy, those inside one
  the graph it names (an inner ``GRAPH`` decides, and Virtuoso does not ask that ``COPY``
  exist, so an empty store answers as before);
- each ``GRAPH ?var { ... }`` pattern is followed by ``FILTER(?var != <COPY>)``: the copy is no
  named graph, in graph listings, dumps, or the derived facts read graph by graph;
- what an update writes to or deletes from the copy (``union``'s marked triples) goes to
  ``GRAPH <COPY>``.

A text whose braces do not pair is sent as it is: Virtuoso refuses it, as it would have.
"""

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kgservice.query.text import Token, tokens
from kgservice.store import union

COPY = ox.NamedNode("urn:kgservice:union")
"""The graph that holds the set union of the named graphs."""
_INSIDE_COPY = f" GRAPH {COPY} {{ "
_NOT_COPY = " FILTER({} != " + str(COPY) + ")"
_OWN_DATASET = {"FROM", "USING", "WITH"}


def query(sparql: str, *, dataset_given: bool = False) -> str:
    """A query's text as Virtuoso is to run it; ``dataset_given``: the protocol names graphs."""
    found = list(tokens(sparql))
    paired = _pairs(found)
    if paired is None:
        return sparql
    pairs, top = paired
    template = _construct_template(found, top)
    where = _query_where(found, top, template)
    edits = list(_graph_filters(found, pairs, skip=template))
    if where is not None and not dataset_given and not _names_dataset(found):
        edits += _wrapped(sparql, found, pairs, where)
    return _edited(sparql, edits)


def update(sparql: str) -> str:
    """An update's text as Virtuoso is to run it, writing the copy in ``COPY``."""
    sparql = union.into_graph(sparql, COPY.value)
    found = list(tokens(sparql))
    paired = _pairs(found)
    if paired is None:
        return sparql
    pairs, top = paired
    edits: list[tuple[int, str]] = []
    own = _names_dataset(found)
    for where in _update_wheres(found, top):
        edits += _graph_filters(found, pairs, within=(where, pairs[where]))
        if not own:
            edits += _wrapped(sparql, found, pairs, where)
    return _edited(sparql, edits)


def _pairs(found: Sequence[Token]) -> tuple[dict[int, int], list[int]] | None:
    """Each ``{`` token's index -> its ``}``'s, and the ``{`` of the top-level groups; None
    when they do not pair."""
    pairs, top, opened = {}, [], list[int]()
    for i, token in enumerate(found):
        if _sign(token, "{"):
            if not opened:
                top.append(i)
            opened.append(i)
        elif _sign(token, "}"):
            if not opened:
                return None
            pairs[opened.pop()] = i
    return None if opened else (pairs, top)


def _construct_template(found: Sequence[Token], top: list[int]) -> int | None:
    """The ``{`` of a CONSTRUCT's template, if the query has one before its WHERE."""
    for i, token in enumerate(found[:-1]):
        if _word(token, "CONSTRUCT"):
            return i + 1 if i + 1 in top else None
    return None


def _query_where(found: Sequence[Token], top: list[int], template: int | None) -> int | None:
    """The ``{`` of the query's WHERE: its first top-level group that is not the template or an
    EXISTS in the projection; None when a ``VALUES`` comes first (a DESCRIBE without WHERE)."""
    for i in top:
        if i != template and not (i > 0 and _word(found[i - 1], "EXISTS")):
            return None if any(_word(t, "VALUES") for t in found[:i]) else i
    return None


def _names_dataset(found: Sequence[Token]) -> bool:
    return any(t.kind == "word" and t.text.upper() in _OWN_DATASET for t in found)


def _update_wheres(found: Sequence[Token], top: list[int]) -> Iterator[int]:
    """The ``{`` of each operation's WHERE, but a DELETE WHERE's, which is its template too."""
    for i in top:
        if i >= 2 and _word(found[i - 1], "WHERE") and not _word(found[i - 2], "DELETE"):
            yield i


def _graph_filters(
    found: Sequence[Token],
    pairs: dict[int, int],
    *,
    within: tuple[int, int] | None = None,
    skip: int | None = None,
) -> Iterator[tuple[int, str]]:
    """After each ``GRAPH ?var { ... }`` (inside ``within``, outside the group ``skip``): a
    FILTER that leaves the copy out."""
    start, stop = within or (0, len(found))
    skipped = (skip, pairs[skip]) if skip is not None else (-1, -1)
    for i in range(start, min(stop, len(found) - 2)):
        graph, variable, opening = found[i : i + 3]
        if (
            _word(graph, "GRAPH")
            and variable.kind == "var"
            and i + 2 in pairs
            and not skipped[0] < i < skipped[1]
        ):
            closing = found[pairs[i + 2]]
            yield closing.start + 1, _NOT_COPY.format(variable.text)


def _wrapped(
    sparql: str, found: Sequence[Token], pairs: dict[int, int], where: int
) -> list[tuple[int, str]]:
    """The group at ``where`` read inside the copy (nothing for an empty group); a CONSTRUCT
    WHERE, whose group is its template too, gets its template written out first."""
    opening, closing = found[where], found[pairs[where]]
    if pairs[where] == where + 1:
        return []
    edits = [(opening.start + 1, _INSIDE_COPY), (closing.start, "} ")]
    if where >= 2 and _word(found[where - 1], "WHERE") and _word(found[where - 2], "CONSTRUCT"):
        edits.append((found[where - 1].start, sparql[opening.start : closing.start + 1] + " "))
    return edits


def _edited(sparql: str, edits: list[tuple[int, str]]) -> str:
    """``sparql`` with each text inserted at its position (texts at one position in order)."""
    pieces, done = [], 0
    for position, text in sorted(edits, key=lambda edit: edit[0]):
        pieces += [sparql[done:position], text]
        done = position
    return "".join(pieces) + sparql[done:]


def _sign(token: Token, text: str) -> bool:
    return token.kind == "other" and token.text == text


def _word(token: Token, word: str) -> bool:
    return token.kind == "word" and token.text.upper() == word
