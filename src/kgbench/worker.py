"""The in-process floor: ``python -m kgbench.worker STORE`` opens the store read-only
and answers JSON lines ``{"query", "substitutions"}`` with ``{"seconds", "rows"}``, timing the
query and its serialisation to SPARQL JSON inside this process. Parameters are bound the way the
service's store binds them (``kgservice.query.binding``: pyoxigraph's own substitutions plan the
query without the value and can be orders of magnitude slower). It runs with the allocator the
service runs with (``kgservice.allocator``), so that the two differ by HTTP and nothing else, and
names it in every answer."""

import json
import sys
import time

import pyoxigraph as ox

from kgservice.allocator import in_use, restart_with_mimalloc
from kgservice.query.prepare import prepare


def main(path: str) -> None:
    store = ox.Store.read_only(path)
    allocator = in_use()
    for line in sys.stdin:
        request = json.loads(line)
        subs = {k: _term(v) for k, v in request["substitutions"].items()}
        start = time.perf_counter()
        result = store.query(_bound(request["query"], subs))
        assert not isinstance(result, ox.QueryTriples)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        seconds = time.perf_counter() - start
        rows = len(json.loads(body)["results"]["bindings"]) if body else 0
        print(json.dumps({"seconds": seconds, "rows": rows, "allocator": allocator}), flush=True)


def _bound(text: str, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
    return prepare(text, engine_sorts=True).bound(terms)


def _term(text: str) -> ox.NamedNode | ox.Literal:
    """A term from its N-Triples form (the IRIs and typed literals of named-query parameters)."""
    quad = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES)))
    term = quad.object
    assert isinstance(term, ox.NamedNode | ox.Literal)
    return term


if __name__ == "__main__":
    restart_with_mimalloc()
    main(sys.argv[1])
