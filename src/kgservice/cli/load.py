"""``kgservice load FILE... [--graph IRI] [--force]``: validate, then load into the store.

Each file goes into ``--graph`` or into ``graph/{file stem}`` (quad formats keep their own named
graphs unless ``--graph`` is given). Non-conforming data is refused unless ``--force``, in which
case it is loaded and what did not conform is printed.
"""

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgservice.bootstrap import bootstrap
from kgservice.cli.common import add_store_options, settings_from
from kgservice.cli.rdffiles import EXIT_UNREADABLE, UnreadableFile, read_rdf
from kgservice.derived import upkeep
from kgservice.namespaces import graph_iri
from kgservice.settings import Settings
from kgservice.store import Store, open_store
from kgservice.validation import validate
from kgservice.validation.summary import summary_lines


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("load", help="validate RDF files and load them into the store")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="RDF file (by extension)")
    p.add_argument("--graph", metavar="IRI", help="named graph for all files")
    p.add_argument("--force", action="store_true", help="load even data that does not conform")
    p.add_argument("--lang", choices=["th", "en"], default="th", help="language of messages")
    add_store_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        files = {path: read_rdf(path) for path in args.files}
    except UnreadableFile as e:
        print(f"error: {e}; nothing loaded", file=sys.stderr)
        return EXIT_UNREADABLE
    store = open_store(settings)
    if settings.load_bundled_data:  # a fresh store gets what `kgservice serve` would load
        bootstrap(store, settings)
    try:
        return check_and_load(store, settings, files, args)
    finally:
        store.close()


def check_and_load(
    store: Store, settings: Settings, files: dict[Path, ox.Dataset], args: argparse.Namespace
) -> int:
    failing = set()
    for path, dataset in files.items():
        report = validate(store, dataset, settings=settings)
        if report.results:
            print("\n".join(summary_lines(str(path), report, args.lang)), file=sys.stderr)
        if not report.conforms:
            failing.add(path)
    if failing and not args.force:
        print("refused: some data does not conform; nothing loaded", file=sys.stderr)
        return 1
    changed: set[str] = set()
    for path, dataset in files.items():
        default = ox.NamedNode(args.graph or graph_iri(settings.base_iri, path.stem))
        quads = list(placed(dataset, default, keep_named=args.graph is None))
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        assert data is not None  # no output given: the bytes are returned
        store.load(data, format=ox.RdfFormat.N_QUADS, graph=None)
        changed |= {q.graph_name.value for q in quads}  # type: ignore[union-attr]
        forced = " although it does not conform (see above)" if path in failing else ""
        print(f"{path}: loaded {len(quads)} triples{forced}")
    upkeep.refresh(store, settings, changed)
    return 0


def placed(
    dataset: Iterable[ox.Quad], graph: ox.NamedNode, *, keep_named: bool
) -> Iterable[ox.Quad]:
    """Every quad into ``graph``, except named-graph quads when ``keep_named``."""
    for q in dataset:
        named = keep_named and not isinstance(q.graph_name, ox.DefaultGraph)
        yield ox.Quad(q.subject, q.predicate, q.object, q.graph_name if named else graph)
