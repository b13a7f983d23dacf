"""Virtuoso's own bulk loader, for loads of many organisations (a national first start).

Each batch of quads is written as one N-Quads file into a directory Virtuoso may read, then
registered and loaded by its loader (``ld_dir``, ``rdf_loader_run``) and made durable
(``checkpoint``: the loader writes no transaction log) through ``isql-vt`` on its SQL port.
One file per batch keeps a batch's blank nodes one node each, as one Graph Store request did.
The loader reads files, not SPARQL, and many at a time: the way Virtuoso takes data fastest.

``dba``'s password goes to ``isql-vt`` on its standard input, where it asks for one after the
default password failed, so that no other user of the machine sees it in the process list.
"""

import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import StoreUnavailable

ISQL = "isql-vt"
_NO_GRAPH = "urn:kgservice:no-graph"  # ld_dir's graph for triples; every quad here has its own


class VirtuosoBulkLoader:
    def __init__(self, directory: Path, address: str, password: str) -> None:
        self.directory = directory
        self.address = address
        self.password = password

    def load(self, quads: Iterable[ox.Quad]) -> None:
        path = self.directory / f"kgservice-{uuid.uuid4().hex}.nq"
        try:
            with path.open("wb") as output:
                ox.serialize(quads, output, format=ox.RdfFormat.N_QUADS)
            self._run(_loading(path))
        finally:
            path.unlink(missing_ok=True)

    def _run(self, sql: str) -> None:
        """Run ``sql``; what it prints after the login is an error (queries in ``_loading``
        select only errors)."""
        command = [ISQL, self.address, "dba", *_QUIET, f"exec={sql}"]
        try:
            done = subprocess.run(
                command, input=self.password + "\n", capture_output=True, text=True, check=False
            )
        except OSError as exc:
            raise StoreUnavailable(f"{ISQL} could not be run: {exc}") from None
        said = (done.stdout + done.stderr.rpartition(_ASKS_PASSWORD)[2]).strip()
        if done.returncode != 0 or said:
            raise StoreUnavailable(f"Virtuoso's bulk loader refused a batch: {said}")


_QUIET = ("VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF")
_ASKS_PASSWORD = "Enter password for dba :"  # after the default password's failed login


def _loading(path: Path) -> str:
    """Load ``path``, report its error if any, and leave the load list as it was."""
    directory, name, file = _sql(str(path.parent)), _sql(path.name), _sql(str(path))
    return (
        f"ld_dir({directory}, {name}, {_sql(_NO_GRAPH)}); rdf_loader_run(); checkpoint; "
        f"SELECT ll_error FROM DB.DBA.load_list WHERE ll_file = {file} AND ll_error IS NOT NULL; "
        f"DELETE FROM DB.DBA.load_list WHERE ll_file = {file};"
    )


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
