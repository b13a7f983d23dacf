"""A large write costs memory in proportion to its body, measured in a child process.

Growth is the child's peak resident memory during one PUT over HTTP to an in-memory store. The
body arrives and is joined, it is parsed once into triples held for the count, validation and
the commit (about the body's size again), the store keeps the triples, validation and the
one-transaction replacement each need a few times the body: about 6x in all. A write path that
held the body as rdflib objects would need several times more than the bound.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HELPER = Path(__file__).parent / "large_write.py"
TRIPLES = 100_000


def measure(directory: Path) -> dict[str, int]:
    paths = [str(Path(__file__).parents[2] / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, str(HELPER), "put", str(directory), str(TRIPLES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, int] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_large_put_grows_memory_in_proportion_to_its_body(tmp_path: Path) -> None:
    put = measure(tmp_path)
    assert put["status"] == 201
    assert put["growth"] < 10 * put["body"]
