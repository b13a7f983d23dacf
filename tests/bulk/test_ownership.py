"""Who owns a subject: the chains ``bulk.ownership`` follows, worked out on small examples."""

import io

import pyoxigraph as ox
import pytest

from kgservice.bulk import ntriples
from kgservice.bulk.ownership import Ownership
from kgservice.bulk.routing import Router
from kgservice.bulk.sources import RdfFile
from kgservice.namespaces import DEFAULT_BASE, TP

ID = DEFAULT_BASE
PLAN = f"{ID}plan/lao-sao-400104-2566-2570"
EXAMPLE = f"""
<{PLAN}> <{TP}ownedBy> <{ID}org/lao-sao-400104> .
<{PLAN}> <{TP}level> <{TP}LocalLevel> .
<{PLAN}/strategy/1> <{TP}partOf> <{PLAN}> .
<{PLAN}/project/1> <{TP}budget> <{ID}budget/b1> .
<{ID}budget/b1> <{TP}amount> "100"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<{ID}agreement/a1> <{TP}covers> <{PLAN}/strategy/1> .
<{ID}agreement/a1> <{TP}party> <{ID}org/provincial-40> .
<{ID}strays/s1> <{TP}partOf> <{ID}strays/s2> .
<{ID}strays/s2> <{TP}partOf> <{ID}strays/s1> .
<{ID}area/40> <http://www.w3.org/2000/01/rdf-schema#label> "ขอนแก่น"@th .
<{PLAN}/project/1> <{TP}indicator> _:k .
_:k <{TP}targetValue> "5" .
"""


def scanned(path: RdfFile) -> Ownership:
    ownership = Ownership(ID)
    for quad in path.quads():
        ownership.see(quad)
    return ownership


@pytest.fixture
def example(tmp_path: pytest.TempPathFactory) -> RdfFile:
    path = tmp_path / "example.nt"  # type: ignore[operator]
    path.write_text(EXAMPLE)
    return RdfFile.of(path)


@pytest.mark.parametrize(
    ("subject", "owner"),
    [
        (PLAN, "lao-sao-400104"),  # tp:ownedBy
        (f"{PLAN}/strategy/1", "lao-sao-400104"),  # tp:partOf, and minted under the plan
        (f"{PLAN}/project/9/budget/2567", "lao-sao-400104"),  # minted under the plan only
        (f"{ID}budget/b1", "lao-sao-400104"),  # the budget of an element of the plan
        (f"{ID}agreement/a1", "lao-sao-400104"),  # the element the agreement covers
        (f"{ID}org/provincial-40", "provincial-40"),  # an organisation is its own
        (f"{ID}area/40", "areas"),
        (f"{ID}strays/s1", None),  # a cycle leads nowhere
        (f"{ID}org/ontology", None),  # no organisation id names a service graph
        ("https://example.org/x", None),
    ],
)
def test_the_owner_of_a_subject(example: RdfFile, subject: str, owner: str | None) -> None:
    assert scanned(example).owner(subject) == owner


def test_only_links_across_plans_are_kept(example: RdfFile) -> None:
    ownership = scanned(example)
    assert f"{PLAN}/strategy/1" not in ownership._links  # the IRI says it already
    assert ownership._links[PLAN] == (0, f"{ID}org/lao-sao-400104")


def test_the_line_by_line_passes_place_every_statement_as_the_parser_does(
    example: RdfFile,
) -> None:
    """N-Triples read as lines (``ntriples``) and read by the parser: same graphs, same owners."""
    lines = Ownership(ID)
    for block in ntriples.blocks(example):
        ntriples.scan(lines, block, 0)

    def target(source: RdfFile, named: str | None, owner: str | None) -> str | None:
        return f"urn:graph:{owner}" if owner else None

    parsed = Router(scanned(example), target)
    by_parser = sorted((str(r.quad.triple), r.graph) for r in parsed.route(example))
    by_lines = Router(lines, target)
    quads = [
        (ox.parse(io.BytesIO(line), ox.RdfFormat.N_QUADS), graph)
        for line, graph, _ in by_lines.route_lines(example, 0)
    ]
    as_lines = [(str(next(iter(q)).triple), g) for q, g in quads]
    assert [g for _, g in sorted(as_lines)] == [g for _, g in by_parser]
    assert len(as_lines) == len(by_parser) == EXAMPLE.count(" .\n") - 2  # the cycle's two
    assert parsed.unplaced.statements == by_lines.unplaced.statements == 2
