"""A Virtuoso server of its own (Debian's ``virtuoso-opensource-7-bin``): a minimal working
``virtuoso.ini`` on loopback ports, a database in one directory that it may also read files
from (its bulk loader's), and the service's set-up (``scripts/virtuoso-setup.sql``). Used by the
benchmarks and the tests alike."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from kgservice.settings import PROJECT_ROOT, Settings

SETUP = PROJECT_ROOT / "scripts" / "virtuoso-setup.sql"
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
ServerThreads = 20

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 20
MaxClientConnections = 20

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class Virtuoso:
    directory: Path
    http_port: int
    sql_port: int
    buffers: int = 20_000  # 8 KB pages: 160 MB

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def command(self) -> list[str]:
        """Write ``virtuoso.ini`` into the directory; the command that starts the server."""
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            INI.format(
                dir=self.directory,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.buffers,
                dirty_buffers=self.buffers * 3 // 4,
            )
        )
        return ["virtuoso-t", "+foreground", "+configfile", str(ini)]

    def service_settings(self, **more: object) -> Settings:
        """Settings of a service over this server that loads through its bulk loader (from
        ``load`` in its directory, as ``dba`` with a fresh database's password), and ``more``."""
        (self.directory / "load").mkdir(exist_ok=True)
        return Settings(
            store="remote",
            store_dialect="virtuoso",
            remote_query_url=f"{self.url}/sparql",
            virtuoso_bulk_dir=self.directory / "load",
            virtuoso_sql_address=f"127.0.0.1:{self.sql_port}",
            virtuoso_dba_password="dba",
            **more,  # type: ignore[arg-type]
        )

    def isql(self, script: Path) -> str:
        """Run a SQL script as ``dba`` (a fresh database's password); what went wrong, if
        anything."""
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", str(script)],
            capture_output=True,
            text=True,
            check=False,
        )
        said = done.stdout + done.stderr
        return said if done.returncode != 0 or "Error" in said else ""
