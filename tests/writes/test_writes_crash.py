"""A write killed with ``kill -9`` at any point leaves the on-disk store all as it was or all as
the write makes it: the graph, its ``tp:Submission``, its derived facts and the default graph's
copy of the union commit together."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from service_support import default_and_union

from kgservice.store.base import solutions
from kgservice.store.embedded import EmbeddedStore

HELPER = Path(__file__).parent / "large_write.py"
BASE = "https://w3id.org/thaiplan/id/"
GRAPH = f"{BASE}graph/lao-pao-40"
TRIPLES = 15_000
"""Big enough that the write takes seconds, a good part of them in its commit."""
KILLS = 10
"""Half while the write checks its content, half while it commits."""


@dataclass(frozen=True)
class State:
    generations: frozenset[int]
    """Of the projects in the graph (one, unless the graph is a mix)."""
    projects: int
    submissions: int
    derived: int
    """Projects with derived facts from the graph."""


def child(data_dir: Path, count: int, generation: int) -> subprocess.Popen[str]:
    paths = [str(Path(__file__).parents[2] / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, str(HELPER), "plan", str(data_dir), str(count), str(generation)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def projects(generation: int) -> int:
    """How many projects the plan of a generation has (as ``large_write.plan`` makes it)."""
    return (TRIPLES if generation else 30) // 3 + generation


def write(data_dir: Path, generation: int) -> tuple[float, float]:
    """Run a write to its end; the seconds it spent checking (until its transaction began) and
    committing."""
    with child(data_dir, TRIPLES if generation else 30, generation) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "STARTED"
        started = time.monotonic()
        assert writer.stdout.readline().strip() == "COMMITTING"
        committing = time.monotonic()
        assert "COMMITTED" in writer.stdout.read()
    assert writer.returncode == 0
    return committing - started, time.monotonic() - committing


def kill(data_dir: Path, generation: int, after: float, *, in_commit: bool) -> str:
    """Start a write and kill it ``after`` seconds from its start or, ``in_commit``, from the
    start of its transaction (so that a kill meant for the commit lands there however loaded
    the machine is); what it had said by then."""
    with child(data_dir, TRIPLES, generation) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "STARTED"
        said = ""
        if in_commit:
            said = writer.stdout.readline()
        time.sleep(after)
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
    return said + rest


def state(data_dir: Path) -> State:
    store = EmbeddedStore(data_dir)
    try:
        return State(
            frozenset(int(label.split()[-1]) for label in column(store, _LABELS)),
            int(column(store, _PROJECTS)[0]),
            int(column(store, _SUBMISSIONS)[0]),
            int(column(store, _DERIVED)[0]),
        )
    finally:
        store.close()


def default_is_union(data_dir: Path) -> bool:
    store = EmbeddedStore(data_dir)
    try:
        in_default, in_named = default_and_union(store)
        return in_default == in_named
    finally:
        store.close()


def column(store: EmbeddedStore, query: str) -> list[str]:
    rows = solutions(store.query(_PREFIXES + query, bindings={"g": ox.NamedNode(GRAPH)}))
    return [row[0].value for row in rows]  # type: ignore[union-attr]


def whole(generation: int, submissions: int) -> State:
    """The state after the write of ``generation``, the ``submissions``-th to the graph."""
    count = projects(generation)
    return State(frozenset({generation}), count, submissions, count)


def test_a_write_killed_at_any_point_commits_all_or_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    write(data_dir, 0)
    write(data_dir, 1)
    # as long as the ones killed: a plan as large replaced
    checking, committing = write(data_dir, 2)
    current, submissions = 2, 3
    assert state(data_dir) == whole(current, submissions)
    phases = []
    for k in range(KILLS):  # kill points spread over the checking, then over the commit
        generation = k + 3
        in_commit, share = k >= KILLS // 2, (k % (KILLS // 2) + 0.5) / (KILLS // 2)
        after = (committing if in_commit else checking) * share
        said = kill(data_dir, generation, after, in_commit=in_commit)
        phases.append(phase(said))
        found = state(data_dir)
        old, new = whole(current, submissions), whole(generation, submissions + 1)
        assert found in (old, new), (phases, found)
        assert default_is_union(data_dir), phases
        if found == new:
            current, submissions = generation, submissions + 1
    assert "committing" in phases, f"no write was killed while it committed: {phases}"


def phase(said: str) -> str:
    """Where a killed write was, by what it had said."""
    if "COMMITTED" in said:
        return "committed"
    return "committing" if "COMMITTING" in said else "checking"


_PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX tp: <https://w3id.org/thaiplan/ontology#>
"""
_LABELS = "SELECT ?label WHERE { GRAPH ?g { ?project tp:partOf ?plan ; rdfs:label ?label } }"
_PROJECTS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?project tp:partOf ?plan } }"
_SUBMISSIONS = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  GRAPH <{BASE}graph/provenance> {{ ?submission tp:targetGraph ?g }} }}"""
_DERIVED = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  GRAPH <{BASE}graph/derived> {{ ?project tp:sourceGraph ?g ; tp:inPlan ?plan }} }}"""
