"""The rule example files and the expectations written in their headers; the bundled files."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgservice.namespaces import DEFAULT_BASE, graph_iri
from kgservice.settings import PROJECT_ROOT
from kgservice.store.embedded import EmbeddedStore

EXAMPLES = Path(__file__).parent
DATA = PROJECT_ROOT / "data" / "ttl"
LEGACY = DATA / "legacy-imports.ttl"
BUNDLED = sorted(p for p in DATA.rglob("*.ttl") if p != LEGACY)
RULES = [f"R{n:02d}" for n in range(1, 19)]
_HEADER = re.compile(r"^# (focus|shape): <([^>]+)>$", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    path: Path

    @property
    def rule(self) -> str:
        return self.path.name[:3]

    @property
    def valid(self) -> bool:
        return self.path.stem.endswith("-valid")

    def expected(self, key: str) -> str:
        found = dict(_HEADER.findall(self.path.read_text()))
        return found[key]

    @property
    def focus(self) -> ox.NamedNode:
        return ox.NamedNode(self.expected("focus"))

    @property
    def shape(self) -> str:
        return self.expected("shape")


def examples() -> list[Example]:
    return [Example(p) for p in sorted(EXAMPLES.glob("R[0-9][0-9]-*.ttl"))]


def ids(example: Example) -> str:
    return example.path.stem


def store_with(files: list[Path]) -> Iterator[EmbeddedStore]:
    """The ontology, and each file in its graph ``graph/{stem}`` as bootstrap loads it."""
    store = EmbeddedStore(None)
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph("ontology"))
    for path in files:
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, graph=graph(path.stem))
    yield store
    store.close()


def graph(name: str) -> str:
    return graph_iri(DEFAULT_BASE, name)
