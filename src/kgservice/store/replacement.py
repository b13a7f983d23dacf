"""One SPARQL Update that replaces whole named graphs: a single transaction on any SPARQL store."""

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox


def replacement_update(
    graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]],
    then: Sequence[str] = (),
    *,
    chunk: int | None = None,
) -> Iterator[str]:
    """The text of ``DROP SILENT GRAPH ...; INSERT DATA { GRAPH ... }``, piece by piece, followed
    by the operations ``then``.

    Blank nodes keep their labels within the request, so a graph's structure survives; the
    store gives them fresh identities, which is what replacing a graph means.
    """
    for name in graphs:
        yield f"DROP SILENT GRAPH {ox.NamedNode(name)} ;\n"
    yield from insert_data(graphs, chunk=chunk)
    for operation in then:
        yield f";\n{operation}\n"


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
