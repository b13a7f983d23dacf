"""One settings object for the service and the command line.

Values come from keyword arguments, then environment variables prefixed ``KGSERVICE_``, then an
optional settings file named by ``KGSERVICE_SETTINGS_FILE`` (dotenv syntax).
"""

import os
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KGSERVICE_",
        env_file=os.environ.get("KGSERVICE_SETTINGS_FILE"),
        extra="ignore",
    )

    store: Literal["embedded", "remote"] = "embedded"
    data_dir: Path = PROJECT_ROOT / "var" / "store"
    memory: bool = False
    remote_query_url: str | None = None
    remote_update_url: str | None = None
    # how the remote engine departs from SPARQL 1.1 (kgservice.store.virtuoso, docs/deployment.md)
    store_dialect: Literal["standard", "virtuoso"] = "standard"
    # Virtuoso's own bulk loader for loads (kgservice.store.virtuoso_bulk): a directory this
    # service writes and Virtuoso may read (its DirsAllowed), its SQL port and dba's password;
    # unset: loads go through its Graph Store endpoint
    virtuoso_bulk_dir: Path | None = None
    virtuoso_sql_address: str = "127.0.0.1:1111"
    virtuoso_dba_password: str = ""
    # how long a read of a remote store's version may answer readers after it began
    # (kgservice.store.version_reads): 0, every answer follows every write committed before it
    # was asked for; more, another process's write may go unseen that long
    remote_version_tolerance_ms: float = 0.0

    base_iri: str = "https://w3id.org/thaiplan/id/"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    shapes_dir: Path = PROJECT_ROOT / "shapes"
    bundled_data_dir: Path = PROJECT_ROOT / "data" / "ttl"
    queries_dir: Path = PROJECT_ROOT / "queries"
    load_bundled_data: bool = True

    query_timeout_s: float = 30.0
    # queries past the time limit that may still run in the engine (it cannot stop them);
    # beyond that new queries get 503 until they finish
    max_overdue_queries: int = 2
    max_result_rows: int = 100_000
    # /sparql queries on the embedded store run in worker processes that are ended at the time or
    # memory limit (kgservice.query.isolation); false runs them in this process
    query_processes: bool = True
    query_memory_mb: int = 768
    # a worker's data limit (RLIMIT_DATA) beyond that, for allocations too fast to be seen;
    # 0: query_memory_mb and half again (at least 256 MB more)
    query_memory_backstop_mb: int = 0
    query_workers: int = 6
    # a query that used heavy_query_after_s of CPU time is heavy: so many run at once, so many
    # more wait; one more gets 503 with Retry-After
    heavy_query_after_s: float = 0.5
    heavy_queries: int = 2
    heavy_query_queue: int = 2
    # heavy queries one client may have running or waiting; one more gets 429 with Retry-After
    heavy_queries_per_client: int = 1
    # proxies whose X-Forwarded-For names the client (uvicorn's forwarded_allow_ips); empty:
    # the client is the address the connection comes from
    trusted_proxies: list[str] = []
    max_body_bytes: int = 64 * 1024 * 1024
    # what one RDF body may hold (kgservice.rdfinput.BodyLimits); past them 413 or 422
    max_triples_per_body: int = 1_000_000
    max_blank_nodes_per_body: int = 100_000
    max_nesting_depth: int = 100
    allowed_service_endpoints: list[str] = []
    # named-query answers kept until the data changes (kgservice.query.answer_cache); 0 keeps none
    answer_cache_mb: int = 256
    # `kgservice serve` computes every named answer that needs no parameter but a province
    # before it opens its port (kgservice.query.warming); false: after, beside the readers
    warm_answers_before_serving: bool = True

    tokens_file: Path | None = None
    # statements `kgservice load` validates and writes together (whole organisations, so one
    # batch can be larger); memory grows with it
    load_batch_statements: int = 200_000
    # the search index (kgservice.search); by default beside an embedded store on disk, else in
    # memory (a remote store can change behind the service: its index is built at each start)
    search_index_dir: Path | None = None

    # planning offices' workbooks (kgservice.spreadsheets): the columns' mapping (CSVW metadata),
    # the rows a sheet may have and the bytes a workbook may unpack to
    spreadsheet_mapping: Path = PROJECT_ROOT / "spreadsheets" / "mapping.csvw.json"
    spreadsheet_max_rows: int = 20_000
    spreadsheet_max_unpacked_bytes: int = 100 * 1024 * 1024

    @property
    def tokens_path(self) -> Path:
        return self.tokens_file or self.data_dir.parent / "tokens.json"

    @property
    def search_index_path(self) -> Path | None:
        if self.search_index_dir is not None:
            return self.search_index_dir
        if self.memory or self.store == "remote":
            return None
        return self.data_dir.with_name(self.data_dir.name + "-search")
