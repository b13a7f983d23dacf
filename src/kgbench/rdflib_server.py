"""rdflib-endpoint over an N-Quads dump: ``python -m kgbench.rdflib_server DUMP PORT``.

The default graph is the union of the named graphs, as on the service."""

import sys

import rdflib
import uvicorn
from rdflib_endpoint import SparqlEndpoint


def main(dump: str, port: int) -> None:
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
