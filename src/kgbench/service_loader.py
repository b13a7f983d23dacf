"""The service's own first-start loader (``kgservice.bootstrap``) on the generated country.

``python -m kgbench.service_loader STORE DATA [--all-bundled]`` points the bundled-data
folder at the reference files and the generated ones (N-Triples is Turtle) and times one first
start."""

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from kgbench.load_store import reference_files
from kgservice.allocator import in_use, restart_with_mimalloc
from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store import open_store


def link_sources(folder: Path, data: Path, settings: Settings, *, illustrative: bool) -> None:
    """Each file as ``NAME.ttl``; an organisation's imperfect records get a graph of their own,
    since the loader takes one file per graph."""
    for path, name in reference_files(settings, illustrative=illustrative):
        if settings.bundled_data_dir in path.parents:
            (folder / f"{name}.ttl").symlink_to(path)
    for path in data.glob("*.nt"):
        (folder / f"{path.stem}.ttl").symlink_to(path)
    for path in data.glob("imperfections/*.nt"):
        (folder / f"{path.stem}-imperfections.ttl").symlink_to(path)


def main(store_dir: Path, data: Path, *, illustrative: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        link_sources(Path(tmp), data, Settings(), illustrative=illustrative)
        settings = Settings(data_dir=store_dir, bundled_data_dir=Path(tmp))
        store = open_store(settings)
        start = time.perf_counter()
        changed = bootstrap(store, settings)
        seconds = time.perf_counter() - start
        triples = sum(store.graphs().values())
        store.close()  # waits for the compaction that the first start set going
        compacted = time.perf_counter() - start
    return {
        "total_s": round(seconds, 2),
        "compacted_s": round(compacted, 2),
        "graphs": len(changed),
        "triples": triples,
        "allocator": in_use(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    restart_with_mimalloc()  # as ``kgservice serve`` does
    print(
        json.dumps(
            main(Path(sys.argv[1]), Path(sys.argv[2]), illustrative="--all-bundled" in sys.argv[3:])
        )
    )
