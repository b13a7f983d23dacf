"""One SPARQL Update that replaces whole named graphs: a single transaction on any SPARQL store."""

from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from kgservice.store import union


def replacement_update(
    graphs: Mapping[str, Iterable[ox.Triple | ox.Quad]], then: Sequence[str] = ()
) -> Iterator[str]:
    """The text of ``DROP SILENT GRAPH ...; INSERT DATA { GRAPH ... }``, piece by piece, followed
    by the operations ``then``; the default graph's copy of the union changes with the graphs
    (``kgservice.store.union``), at a cost in the graphs' old and new sizes, not the store's.

    Blank nodes keep their labels within the request, so a graph's structure survives; the
    store gives them fresh identities, which is what replacing a graph means.
    """
    for name in graphs:
        yield f"{union.drop(name)} ;\n"
    yield "INSERT DATA {\n"
    for name, statements in graphs.items():
        yield f"GRAPH {ox.NamedNode(name)} {{\n"
        for statement in statements:
            yield f"{statement.subject} {statement.predicate} {statement.object} .\n"
        yield "}\n"
    yield "}\n"
    for name in graphs:
        yield f";\n{union.mirror(name)}\n"
    for operation in then:
        yield f";\n{operation}\n"
