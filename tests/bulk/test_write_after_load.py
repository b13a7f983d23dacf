"""After a load by organisation, an organisation's own write (Graph Store PUT with its token)
replaces its plan: nothing of the old plan stays in another graph, nothing is counted twice."""

from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kgservice.auth import TokenFile
from kgservice.cli import main
from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

ORGANISATION = "lao-sao-400104"  # conforms: no imperfections of the kind that are violations
PLAN = f"{DEFAULT_BASE}plan/{ORGANISATION}-2566-2570"
DROPPED = f"{PLAN}/project/1"
KEPT = f"{PLAN}/project/2"
GRAPHS_OF_PLAN = """SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?s), STR(?plan))) }"""
LABELS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?project <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
)


def test_an_organisations_write_replaces_what_the_load_put_in_its_graph(
    national_file: Path, generated: Path, data_dir: Path, tmp_path: Path
) -> None:
    report = str(tmp_path / "r.jsonl")
    keep = ["--by-organisation", "--on-violation", "keep", "--report", report]
    assert main(["load", str(national_file), *keep, "--data-dir", str(data_dir)]) == 0
    own = (generated / f"{ORGANISATION}.nt").read_text().splitlines(keepends=True)
    revised = "".join(line for line in own if not line.startswith(f"<{DROPPED}"))
    settings = Settings(
        data_dir=data_dir, load_bundled_data=False, tokens_file=tmp_path / "tokens.json"
    )
    _, token = TokenFile(settings.tokens_path).create(
        f"{DEFAULT_BASE}org/{ORGANISATION}", admin=False
    )
    store = EmbeddedStore(data_dir)
    try:
        with TestClient(create_app(settings, store=store)) as client:
            response = client.put(
                "/data",
                params={"graph": graph_iri(DEFAULT_BASE, ORGANISATION)},
                content=revised.encode(),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/n-triples",
                },
            )
        assert response.status_code in (200, 204), response.text
        holders = {
            row["g"].value
            for row in store.query(GRAPHS_OF_PLAN, bindings={"plan": ox.Literal(PLAN)})
        }  # type: ignore[union-attr]
        assert holders == {
            graph_iri(DEFAULT_BASE, ORGANISATION),
            graph_iri(DEFAULT_BASE, "derived"),
        }
        dropped = store.query("ASK { ?s ?p ?o }", bindings={"s": ox.NamedNode(DROPPED)})
        assert not bool(dropped)
        (row,) = store.query(LABELS, bindings={"project": ox.NamedNode(KEPT)})  # type: ignore[misc]
        assert int(row["n"].value) == sum(
            f"<{KEPT}> <http://www.w3.org/2000/01/rdf-schema#label>" in line for line in own
        )
    finally:
        store.close()
