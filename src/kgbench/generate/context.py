"""What the writers share while generating one country: the seed, the titles used so far, the
projects neighbours may copy, the imperfect records and the running counts."""

import random
from collections import Counter
from dataclasses import dataclass, field

from kgbench.generate.ntriples import Triples
from kgbench.generate.titles import TitleBook


@dataclass(frozen=True)
class CopyableProject:
    title: str
    years: tuple[int, ...]


@dataclass
class Context:
    base: str
    seed: int
    titles: TitleBook = field(default_factory=TitleBook)
    imperfect: Triples = field(default_factory=Triples)
    counts: Counter[str] = field(default_factory=Counter)
    # projects a neighbour may still copy: the PAO's, and each municipality's by subdistrict
    province_pool: list[CopyableProject] = field(default_factory=list)
    subdistrict_pools: dict[str, list[CopyableProject]] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        """A generator of its own per organisation: output does not depend on the order of work."""
        return random.Random(f"{self.seed}:{name}")

    def iri(self, path: str) -> str:
        return f"<{self.base}{path}>"
