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
    # /sparql queries on the on-disk store run in worker processes that are ended at the time or
    # memory limit (kgservice.query.isolation); false runs them in this process
    query_processes: bool = True
    query_memory_mb: int = 768
    query_workers: int = 6
    # a query that used heavy_query_after_s of CPU time is heavy: so many run at once, so many
    # more wait; one more gets 503 with Retry-After
    heavy_query_after_s: float = 0.5
    heavy_queries: int = 2
    heavy_query_queue: int = 2
    max_body_bytes: int = 64 * 1024 * 1024
    # what one RDF body may hold (kgservice.rdfinput.BodyLimits); past them 413 or 422
    max_triples_per_body: int = 1_000_000
    max_blank_nodes_per_body: int = 100_000
    max_nesting_depth: int = 100
    allowed_service_endpoints: list[str] = []
    # named-query answers kept until the data changes (kgservice.query.answer_cache); 0 keeps none
    answer_cache_mb: int = 256

    tokens_file: Path | None = None

    @property
    def tokens_path(self) -> Path:
        return self.tokens_file or self.data_dir.parent / "tokens.json"
