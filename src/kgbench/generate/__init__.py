"""A synthetic country of development plans, for benchmarks and scale tests.

``generate(scale, seed, out)`` writes one N-Triples file per organisation (file stem = its id),
the imperfect records of an organisation in a separate file of the same name under
``imperfections/`` (they belong in the organisation's graph, but do not conform to the shapes),
and a ``manifest.json`` that states the answer sizes the named questions should find. The same
seed always gives byte-identical files.
"""

from kgbench.generate.country import generate
from kgbench.generate.scales import SCALES, Scale

__all__ = ["SCALES", "Scale", "generate"]
