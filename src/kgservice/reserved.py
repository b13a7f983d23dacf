"""The ids no organisation may take: an organisation's token writes ``graph/{id}``, so an id
naming a graph that is not an organisation's own would hand that graph to its token.

Those graphs are the service's own (``namespaces.SERVICE_GRAPHS``) and the bundled data's shared
graphs: each file ``NAME.ttl`` of the bundled data loads into ``graph/NAME``, and it is an
organisation's own when it describes ``org/NAME`` by that id (``tp:organisationId "NAME"``), as
each sample plan does; ``nesdp-13``, ``national-strategy`` and the like describe no
organisation of their name and are everyone's.
"""

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kgservice.namespaces import SERVICE_GRAPHS, TP, org_iri
from kgservice.settings import Settings

ORGANISATION_ID = ox.NamedNode(TP + "organisationId")


def reserved_ids(settings: Settings) -> frozenset[str]:
    return _reserved(settings.bundled_data_dir, settings.base_iri)


@cache  # the bundled files are read when the service starts, and so here once per process
def _reserved(bundled_data_dir: Path, base_iri: str) -> frozenset[str]:
    files = sorted(bundled_data_dir.rglob("*.ttl"))
    shared = {f.stem for f in files if f.stem not in SERVICE_GRAPHS and not _own(f, base_iri)}
    return SERVICE_GRAPHS | shared


def _own(path: Path, base_iri: str) -> bool:
    """Whether the file describes the organisation whose id is its name."""
    organisation = ox.NamedNode(org_iri(base_iri, path.stem))
    try:
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            if quad.subject == organisation and quad.predicate == ORGANISATION_ID:
                return bool(quad.object == ox.Literal(path.stem))
    except (OSError, SyntaxError):  # the service would not start on it either
        pass
    return False
