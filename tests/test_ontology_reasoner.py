"""HermiT (through owlready2) finds the ontology, alone and with the bundled data, consistent."""

import shutil
from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest
from ontology_support import TP, data_files, ontology_graph
from rdflib import OWL, Graph

from kgservice.settings import Settings

FIXTURES = Path(__file__).parent / "ontology_fixtures"
AREAS_FILE = "areas.ttl"
WITHIN = ox.NamedNode(TP.withinArea)

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="the HermiT reasoner needs a Java runtime and `java` is not on PATH",
)


def reason(tmp_path: Path, data: Graph) -> owlready2.World:
    """Run HermiT over the ontology plus data; raise if they are inconsistent.

    owlready2 reads N-Triples but not Turtle, and would fetch owl:imports from the web; the
    merged graph holds every part already, so the imports are dropped and nothing is fetched.
    """
    graph = data + ontology_graph()
    graph.remove((None, OWL.imports, None))
    merged = tmp_path / "merged.nt"
    graph.serialize(merged, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(merged.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


def unsatisfiable(world: owlready2.World) -> list[str]:
    return [cls.iri for cls in world.inconsistent_classes() if cls is not owlready2.Nothing]


def turtle(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def with_mentioned_areas(data: Graph, areas_files: list[Path]) -> Graph:
    """The data plus the areas it mentions and the areas those lie within.

    HermiT takes minutes over all of Thailand's areas; the ones the plans use are enough to
    check how plans, organisations and areas fit together. pyoxigraph reads the large area file
    ten times faster than rdflib.
    """
    areas = ox.Store()
    for path in areas_files:
        areas.load(path=path, format=ox.RdfFormat.TURTLE)
    prefix = f"{Settings().base_iri}area/"
    found: set[ox.NamedNode] = set()
    frontier = {ox.NamedNode(str(node)) for node in data.objects() if str(node).startswith(prefix)}
    while frontier:
        found |= frontier
        parents = (
            quad.object for area in frontier for quad in areas.quads_for_pattern(area, WITHIN, None)
        )
        frontier = {parent for parent in parents if isinstance(parent, ox.NamedNode)}
        frontier -= found
    triples = [quad.triple for area in found for quad in areas.quads_for_pattern(area, None, None)]
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return data.parse(data=ntriples, format="nt")


def test_the_ontology_is_consistent_and_every_class_satisfiable(tmp_path: Path) -> None:
    assert unsatisfiable(reason(tmp_path, Graph())) == []


def test_the_reasoner_reports_an_unsatisfiable_class(tmp_path: Path) -> None:
    world = reason(tmp_path, turtle(FIXTURES / "unsatisfiable-class.ttl"))
    assert unsatisfiable(world) == ["https://example.org/PlanProject"]


@pytest.mark.parametrize("fixture", ["disjoint-individual.ttl", "level-of-another-class.ttl"])
def test_the_reasoner_reports_inconsistent_data(tmp_path: Path, fixture: str) -> None:
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(tmp_path, turtle(FIXTURES / fixture))


def test_the_ontology_is_consistent_with_the_bundled_data(tmp_path: Path) -> None:
    plans = turtle(*(path for path in data_files() if path.name != AREAS_FILE))
    areas = [path for path in data_files() if path.name == AREAS_FILE]
    assert unsatisfiable(reason(tmp_path, with_mentioned_areas(plans, areas))) == []
