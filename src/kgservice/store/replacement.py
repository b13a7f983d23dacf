"""One SPARQL Update that replaces whole named graphs: a single transaction on any SPARQL store."""

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox


def replacement_update(
    graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], then: Sequence[str] = ()
) -> Iterator[str]:
    """The text of ``DROP SILENT GRAPH ...; INSERT DATA { GRAPH ... }``, piece by piece, followed
    by the operations ``then``.

    Blank nodes keep their labels within the request, so a graph's structure survives; the
    store gives them fresh identities, which is what replacing a graph means.
    """
    for name in graphs:
        yield f"DROP SILENT GRAPH {ox.NamedNode(name)} ;\n"
    yield "INSERT DATA {\n"
    for name, statements in graphs.items():
        yield f"GRAPH {ox.NamedNode(name)} {{\n"
        for statement in statements:
            yield f"{statement.subject} {statement.predicate} {statement.object} .\n"
        yield "}\n"
    yield "}\n"
    for operation in then:
        yield f";\n{operation}\n"
