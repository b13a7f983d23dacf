"""A constraint our SPARQL engine runs: the SELECT and what its results need."""

from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class SparqlConstraint:
    """A ``sh:sparql`` constraint of a node shape, or a core constraint written as SPARQL."""

    shape: str
    severity: str
    messages: tuple[rdflib.Literal, ...]
    select: str
    prefixes: tuple[tuple[str, str], ...]
    targets: tuple[tuple[str, rdflib.term.Node], ...]
    path: str | None = None
    """For a property shape's constraint: its path, the result path."""
    component: str = str(SH.SPARQLConstraintComponent)
    fills_messages: bool = True
    """Whether ``{?var}`` in messages is filled in (SHACL does so for SPARQL-based ones only)."""
