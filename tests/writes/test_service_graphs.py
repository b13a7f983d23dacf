"""Service graphs (the ontology, the shapes, the areas, provenance, ...) cannot be claimed: no
token is made for an organisation id naming one, and no writer's token writes one."""

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from plan_store import BASE, graph_triples, token_command

from kgservice.auth import TokenFile
from kgservice.settings import Settings
from kgservice.store import Store

TRIPLE = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


@pytest.mark.parametrize(
    "name",
    [
        "shapes",
        "ontology",
        "provenance",
        "areas",
        "nesdp-13",
        "national-strategy",
        "lecture-example",
    ],
)
def test_no_token_is_made_for_an_id_naming_a_service_graph(settings: Settings, name: str) -> None:
    created = token_command(settings.tokens_path, "create", "--org", f"{BASE}org/{name}")
    assert created.returncode == 2
    assert "names one of the service's graphs" in created.stderr
    assert not settings.tokens_path.exists()


def test_a_token_is_made_for_an_organisation_whose_plans_are_bundled(settings: Settings) -> None:
    created = token_command(settings.tokens_path, "create", "--org", f"{BASE}org/lao-pao-40")
    assert created.returncode == 0, created.stderr


@pytest.mark.parametrize("name", ["ontology", "shapes", "provenance", "nesdp-13"])
def test_an_old_token_for_such_an_id_writes_nothing(
    client: TestClient, settings: Settings, store: Store, name: str
) -> None:
    # Made directly, as the command line did before it refused such ids.
    _, token = TokenFile(settings.tokens_path).create(f"{BASE}org/{name}", admin=False)
    graph = f"{BASE}graph/{name}"
    before = graph_triples(store, graph)
    writer = {"Authorization": f"Bearer {token}"}
    put = client.put(
        "/data",
        params={"graph": graph},
        content=TRIPLE,
        headers={**writer, "Content-Type": "application/n-triples"},
    )
    assert put.status_code == 403, put.text
    update = client.post(
        "/sparql",
        content=f"DROP GRAPH {ox.NamedNode(graph)}",
        headers={**writer, "Content-Type": "application/sparql-update"},
    )
    assert update.status_code == 403, update.text
    assert graph_triples(store, graph) == before
