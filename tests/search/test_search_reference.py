"""The hierarchies every entry is resolved by are the same whatever order their statements come
in: from the store (a rebuild) or from the files (a first start)."""

import pyoxigraph as ox

from kgservice.namespaces import TP
from kgservice.search.documents import Reference

AREA = "https://w3id.org/thaiplan/id/area/"
WITHIN = TP + "withinArea"
RANK = TP + "rank"


def test_an_area_within_two_others_is_within_the_same_one_in_either_order() -> None:
    twice = [
        (AREA + "4001", WITHIN, ox.NamedNode(AREA + "40")),
        (AREA + "4001", WITHIN, ox.NamedNode(AREA + "41")),
        (AREA + "40", WITHIN, ox.NamedNode(AREA + "TH")),
    ]
    chains = {
        tuple(Reference.of(order, set()).area_chain(AREA + "4001"))
        for order in (twice, twice[::-1])
    }
    assert chains == {(AREA + "4001", AREA + "40", AREA + "TH")}


def test_a_level_with_two_ranks_takes_the_higher_one_in_either_order() -> None:
    level = "https://w3id.org/thaiplan/id/level/local"
    twice = [(level, RANK, ox.Literal("5")), (level, RANK, ox.Literal("4"))]
    assert {Reference.of(order, set()).ranks[level] for order in (twice, twice[::-1])} == {4}
