"""One SPARQL Update that replaces whole named graphs: a single transaction on any SPARQL store.
Either the graphs are dropped and written again (``replacement_update``), or, where the graphs'
stored content is at hand, only what differs is deleted and inserted (``difference_update``):
a local government sending its plan again mostly sends what the store holds, and the default
graph's copy of the union (``kgservice.store.union``) then changes only where the plan does."""

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kgservice.store import union


def replacement_update(
    graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]],
    then: Sequence[str] = (),
    *,
    chunk: int | None = None,
) -> Iterator[str]:
    """The text of ``DROP SILENT GRAPH ...; INSERT DATA { GRAPH ... }``, piece by piece, followed
    by the operations ``then``; the default graph's copy of the union changes with the graphs
    (``kgservice.store.union``), at a cost in the graphs' old and new sizes, not the store's.

    Blank nodes keep their labels within the request, so a graph's structure survives; the
    store gives them fresh identities, which is what replacing a graph means.
    """
    for name in graphs:
        yield f"{union.drop(name)} ;\n"
    yield from insert_data(graphs, chunk=chunk)
    for name in graphs:
        yield union.mirror(name)
    for operation in then:
        yield f";\n{operation}\n"


def difference_update(
    graphs: Mapping[str, tuple[set[ox.Triple], list[ox.Triple]]], then: Sequence[str] = ()
) -> str:
    """The update that takes each named graph from its stored content to its new one
    (``graphs``: name -> (stored, new)), followed by the operations ``then``; a graph left
    empty is dropped.

    Statements with a blank node are always deleted and inserted again: the new content's blank
    nodes are fresh, which is what replacing a graph means. The stored ones are deleted by a
    pattern only when there are any: that pattern reads the whole graph, in the transaction,
    and asks the copy of the union about each statement it finds."""
    operations: list[str] = []
    inserts: list[str] = []
    for name, (stored, new) in graphs.items():
        if not new:
            operations.append(union.drop(name))
            continue
        # only the difference is looked at statement by statement; a blank node kept (a POST
        # adds to what is read from the store) is swept with the others and inserted again
        gone = set(stored).difference(new)
        blank = any(map(_blank, gone))
        operations += _deletions(name, [t for t in gone if not _blank(t)], blank=blank)
        added = [t for t in dict.fromkeys(new) if t not in stored or (blank and _blank(t))]
        if added:
            inserts.append(union.insert_data(name, union.lines(added)))
    return " ;\n".join([*operations, *inserts, *then])


def _deletions(name: str, gone: list[ox.Triple], *, blank: bool) -> list[str]:
    found = []
    if blank:
        pattern = f"GRAPH {ox.NamedNode(name)} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }}"
        found.append(union.delete(name, "?s ?p ?o", pattern))
    if gone:
        found.append(union.delete_data(name, gone))
    return found


def _blank(statement: ox.Triple) -> bool:
    return isinstance(statement.subject, ox.BlankNode) or isinstance(statement.object, ox.BlankNode)


def insert_data(
    graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], *, chunk: int | None = None
) -> Iterator[str]:
    """``INSERT DATA { GRAPH ... }``, piece by piece; with ``chunk``, a new INSERT DATA operation
    (in the same request) every ``chunk`` statements, for an engine whose parser takes only so
    many in one."""
    yield "INSERT DATA {\n"
    written = 0
    for name, statements in graphs.items():
        opening = f"GRAPH {ox.NamedNode(name)} {{\n"
        yield opening
        for statement in statements:
            if chunk and written and written % chunk == 0:
                yield "}\n}\n;\nINSERT DATA {\n" + opening
            yield f"{statement.subject} {statement.predicate} {statement.object} .\n"
            written += 1
        yield "}\n"
    yield "}\n"
