"""Reading back what a load left in an on-disk store."""

import json
from pathlib import Path

from kgservice.store.embedded import EmbeddedStore


def graphs(data_dir: Path) -> dict[str, int]:
    store = EmbeddedStore(data_dir)
    try:
        return store.graphs()
    finally:
        store.close()


def report(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]
