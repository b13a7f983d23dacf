"""Project titles that are unique across the country except for the planted near-duplicates.

A title's key ignores what a careless copy changes: spacing, punctuation, Thai or Arabic digits and
a leading "โครงการ". Drawing a title whose key is taken adds a phase ("ระยะที่ n") until it is free,
so the only same-key pairs are the ones the generator plants on purpose.
"""

import random
import re

from kgbench.generate.templates import VILLAGE_HEADS, VILLAGE_TAILS, ProjectTemplate

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_NOISE = re.compile(r"[\W_]+")
PREFIX = "โครงการ"


def title_key(title: str) -> str:
    plain = title.translate(_TO_ARABIC).strip().removeprefix(PREFIX)
    return _NOISE.sub("", plain)


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
        while title_key(title) in self._keys:
            phase += 1
            title = f"{base} ระยะที่ {phase}"
        self._keys.add(title_key(title))
        return title
