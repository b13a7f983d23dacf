"""Project titles that are unique across the country except for the planted near-duplicates.

A title's key is the service's own (``kgservice.derived.titles.normalise_title``), so that the
generator avoids exactly the pairs the service would take for duplicates. Drawing a title whose key
is taken adds a phase ("ระยะที่ n") until it is free, so the only same-key pairs are the ones the
generator plants on purpose.
"""

import random

from kgbench.generate.templates import VILLAGE_HEADS, VILLAGE_TAILS, ProjectTemplate
from kgservice.derived.titles import normalise_title

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
PREFIX = "โครงการ"


def near_duplicate(title: str) -> str:
    """How a neighbour's copy of the title looks: no leading "โครงการ", Thai digits."""
    return title.removeprefix(PREFIX).translate(_TO_THAI)


def village(rng: random.Random) -> str:
    return rng.choice(VILLAGE_HEADS) + rng.choice(VILLAGE_TAILS)


class TitleBook:
    """Every title key used so far in the country."""

    def __init__(self) -> None:
        self._keys: set[str] = set()

    def draw(self, rng: random.Random, template: ProjectTemplate) -> str:
        base = template.title.format(village=village(rng), moo=rng.randint(1, 15))
        title, phase = base, 1
        while normalise_title(title) in self._keys:
            phase += 1
            title = f"{base} ระยะที่ {phase}"
        self._keys.add(normalise_title(title))
        return title
