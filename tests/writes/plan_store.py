"""What the write tests share: the data base, the bundled files, the token factory type, the
`kgservice token` command."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kgservice.settings import PROJECT_ROOT
from kgservice.store import Store
from kgservice.store.base import triples

BASE = "https://w3id.org/thaiplan/id/"
SAMPLE = PROJECT_ROOT / "data" / "ttl" / "sample"
REFERENCE = [*sorted((PROJECT_ROOT / "data" / "ttl").glob("*.ttl")), SAMPLE / "provincial-40.ttl"]

Token = Callable[..., str]


def graph_triples(store: Store, graph: str) -> set[ox.Triple]:
    """What ``store`` holds in ``graph``."""
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    return set(triples(store.query(query, bindings={"g": ox.NamedNode(graph)})))


def token_command(tokens_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``kgservice token ARGS`` in a child process, with its tokens in ``tokens_file``."""
    env = {
        **os.environ,
        "KGSERVICE_TOKENS_FILE": str(tokens_file),
        "PYTHONPATH": str(PROJECT_ROOT / "src"),
    }
    return subprocess.run(
        [sys.executable, "-m", "kgservice", "token", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
