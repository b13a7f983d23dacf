"""Virtuoso's own bulk loader, for loads of many organisations (a national first start).

Each batch of quads is written as one N-Quads file into a directory Virtuoso may read, then
registered and loaded by its loader (``ld_dir``, ``rdf_loader_run``) through ``isql-vt`` on its
SQL port. One file per batch keeps a batch's blank nodes one node each, as one Graph Store
request did. The loader reads files, not SPARQL, and many at a time: the way Virtuoso takes data
fastest.

The batch's graphs' statements then enter the copy of the set union (``virtuoso_union.COPY``)
inside Virtuoso, by one SQL statement that copies their rows of ``RDF_QUAD`` (``INSERT SOFT``:
a row already there, the same statement from another graph, is left as it is, so the copy stays
a set; the same node ids, so blank nodes are the same nodes), rather than by writing and parsing
every statement twice. Batches that fill one graph a share at a time (the derived data) are
copied together after the last of them (``copy_at_end``): a batch's copy by graph would read all
that graph holds so far, again for every batch. The loader and the copy write no transaction
log (``log_enable(2)``): one ``checkpoint`` after the copy makes both durable.

``dba``'s password goes to ``isql-vt`` on its standard input, where it asks for one after the
default password failed, so that no other user of the machine sees it in the process list.
"""

import subprocess
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import StoreUnavailable

ISQL = "isql-vt"
_NO_GRAPH = "urn:kgservice:no-graph"  # ld_dir's graph for triples; every quad here has its own
GRAPHS_BY_INDEX = 500
"""Past so many graphs in a batch, the copy reads the whole table rather than graph by graph."""


class VirtuosoBulkLoader:
    def __init__(self, directory: Path, address: str, password: str, copy: ox.NamedNode) -> None:
        self.directory = directory
        self.address = address
        self.password = password
        self.copy = copy
        """The graph that holds the set union of the named graphs."""
        self._held_back: set[str] | None = None
        """Inside ``copy_at_end``: the graphs loaded there, which the copy has still to take."""

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Load ``quads`` (each in a named graph) into their graphs and into the copy."""
        path = self.directory / f"kgservice-{uuid.uuid4().hex}.nq"
        graphs: set[ox.NamedNode] = set()
        try:
            with path.open("wb") as output:
                ox.serialize(_noted(quads, graphs), output, format=ox.RdfFormat.N_QUADS)
            self.run_loader(path)
        finally:
            path.unlink(missing_ok=True)
        if self._held_back is None:
            self.copy_graphs(sorted(graph.value for graph in graphs))
        else:
            self._held_back.update(graph.value for graph in graphs)

    @contextmanager
    def copy_at_end(self) -> Iterator[None]:
        """The batches loaded in the block enter the copy when it ends (whether or not it
        failed, so that the copy stays the union), together, in one pass over the table."""
        if self._held_back is not None:  # an outer block copies
            yield
            return
        self._held_back = set()
        try:
            yield
        finally:
            graphs, self._held_back = sorted(self._held_back), None
            self.copy_graphs(graphs, in_one_pass=True)

    def run_loader(self, path: Path) -> None:
        """Load the N-Quads file ``path`` with Virtuoso's loader."""
        self._run(_loading(path))

    def copy_graphs(self, graphs: Sequence[str], *, in_one_pass: bool = False) -> None:
        """Add what ``graphs`` hold to the copy, inside Virtuoso, and make both durable;
        ``in_one_pass``: reading the whole table, however few the graphs (``_copied``)."""
        self._run(_copying(graphs, self.copy.value, in_one_pass))

    def _run(self, sql: str) -> None:
        """Run ``sql``, written to a script beside the batches (a batch's copy names thousands
        of graphs: too long for a command line); what it prints after the login is an error
        (queries in ``_loading`` select only errors)."""
        script = self.directory / f"kgservice-{uuid.uuid4().hex}.sql"
        script.write_text(sql)
        command = [ISQL, self.address, "dba", *_QUIET, f"exec=LOAD {_sql(str(script))};"]
        try:
            done = subprocess.run(
                command, input=self.password + "\n", capture_output=True, text=True, check=False
            )
        except OSError as exc:
            raise StoreUnavailable(f"{ISQL} could not be run: {exc}") from None
        finally:
            script.unlink(missing_ok=True)
        said = (done.stdout + done.stderr.rpartition(_ASKS_PASSWORD)[2]).strip()
        if done.returncode != 0 or said:
            raise StoreUnavailable(f"Virtuoso's bulk loader refused a batch: {said}")


_QUIET = ("VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF")
_ASKS_PASSWORD = "Enter password for dba :"  # after the default password's failed login


def _noted(quads: Iterable[ox.Quad], graphs: set[ox.NamedNode]) -> Iterator[ox.Quad]:
    """``quads``, each one's named graph added to ``graphs`` as it passes."""
    last = None
    for quad in quads:
        if quad.graph_name != last:  # a load comes graph by graph: few set insertions
            last = quad.graph_name
            if isinstance(last, ox.NamedNode):
                graphs.add(last)
        yield quad


def _loading(path: Path) -> str:
    """Load ``path``, report its error if any, and leave the load list as it was."""
    directory, name, file = _sql(str(path.parent)), _sql(path.name), _sql(str(path))
    return (
        f"ld_dir({directory}, {name}, {_sql(_NO_GRAPH)});\nrdf_loader_run();\n"
        f"SELECT ll_error FROM DB.DBA.load_list WHERE ll_file = {file} AND ll_error IS NOT NULL;\n"
        f"DELETE FROM DB.DBA.load_list WHERE ll_file = {file};\n"
    )


def _copying(graphs: Sequence[str], copy: str, in_one_pass: bool) -> str:
    """Insert each statement of ``graphs`` into the graph ``copy`` unless it is there already,
    without logging (as the loader), then checkpoint."""
    if not graphs:
        return "checkpoint;\n"
    copied = _copied(graphs, copy, in_one_pass)
    rows = f"SELECT iri_to_id({_sql(copy)}), S, P, O FROM DB.DBA.RDF_QUAD {copied}"
    return f"log_enable(2, 1);\nINSERT SOFT DB.DBA.RDF_QUAD (G, S, P, O) {rows};\ncheckpoint;\n"


_PRIVATE = (  # Virtuoso's own graphs (scripts/virtuoso-setup.sql), which no reader sees
    "SELECT RGGM_MEMBER_IID FROM DB.DBA.RDF_GRAPH_GROUP_MEMBER WHERE RGGM_GROUP_IID = "
    "iri_to_id('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs')"
)


def _copied(graphs: Sequence[str], copy: str, in_one_pass: bool) -> str:
    """Which rows the copy takes, and how they are read: a few graphs' through the index by
    graph; past ``GRAPHS_BY_INDEX`` graphs (a load of many organisations), every row of every
    graph the readers see, in the table's own order, which costs several times less CPU per
    row than the index (each row's copy goes in beside it: docs/benchmarks/remote-stores.md);
    ``in_one_pass``, the graphs' rows in the table's order. Rows the copy holds already are
    left as they are."""
    if len(graphs) > GRAPHS_BY_INDEX:
        return (
            f"TABLE OPTION (INDEX RDF_QUAD) WHERE G <> iri_to_id({_sql(copy)}) "
            f"AND NOT G IN ({_PRIVATE})"
        )
    named = f"G IN ({', '.join(f'iri_to_id({_sql(g)})' for g in graphs)})"
    return f"TABLE OPTION (INDEX RDF_QUAD) WHERE {named}" if in_one_pass else f"WHERE {named}"


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
