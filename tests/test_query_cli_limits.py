"""``kgservice query`` keeps the service's limits: a runaway query ends at the time or memory
limit (the command runs it in a worker process, on the on-disk store and in memory alike), and
SERVICE or LOAD to an endpoint not allowed is refused. Real command processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
EX = "http://example.org/"
PRODUCT = f"?a <{EX}v> ?x . ?b <{EX}v> ?y . ?c <{EX}v> ?z . ?d <{EX}v> ?w"
# 150 values joined four ways: minutes of work, and no memory to speak of
SLOW = f"SELECT * WHERE {{ {PRODUCT} FILTER(?x + ?y + ?z + ?w < 0) }}"
# the same, every row kept to be sorted: gigabytes within seconds
GREEDY = f"SELECT * WHERE {{ {PRODUCT} }} ORDER BY RAND()"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Settings whose bundled data is 150 values and nothing else, through KGSERVICE_ only."""
    root = tmp_path_factory.mktemp("cli-limits")
    places = {"DATA_DIR": "store", "ONTOLOGY_DIR": "ontology", "SHAPES_DIR": "shapes"}
    places |= {"BUNDLED_DATA_DIR": "data", "TOKENS_FILE": "tokens.json"}
    for name in ("ontology", "shapes", "data"):
        (root / name).mkdir()
    values = "".join(f"<{EX}s{i}> <{EX}v> {i} .\n" for i in range(150))
    (root / "data" / "values.ttl").write_text(values)
    settings = {f"KGSERVICE_{name}": str(root / place) for name, place in places.items()}
    return {**os.environ, "PYTHONPATH": str(SRC), **settings}


def kgservice(env: dict[str, str], *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The command; one that ran on for the minutes the query needs fails the test here."""
    command = [sys.executable, "-m", "kgservice", *args]
    return subprocess.run(
        command, env={**env, **settings}, capture_output=True, text=True, timeout=90
    )


@pytest.fixture(scope="module")
def on_disk(env: dict[str, str]) -> dict[str, str]:
    """The same values in a store on disk."""
    values = str(Path(env["KGSERVICE_BUNDLED_DATA_DIR"]) / "values.ttl")
    assert kgservice(env, "load", values, "--graph", f"{EX}g").returncode == 0
    return env


@pytest.mark.parametrize("where", [[], ["--memory"]], ids=["on disk", "in memory"])
def test_a_runaway_query_ends_at_the_time_limit_with_one_line(
    on_disk: dict[str, str], where: list[str]
) -> None:
    done = kgservice(on_disk, "query", "--text", SLOW, *where, KGSERVICE_QUERY_TIMEOUT_S="2")
    assert done.returncode == 2
    assert (
        done.stderr
        == "kgservice query: คำค้นใช้เวลาเกิน 2 s (the query ran past the time limit of 2 s)\n"
    )


def test_a_runaway_query_ends_at_the_memory_limit(on_disk: dict[str, str]) -> None:
    done = kgservice(
        on_disk,
        "query",
        "--text",
        GREEDY,
        KGSERVICE_QUERY_MEMORY_MB="200",
        KGSERVICE_QUERY_TIMEOUT_S="60",
    )
    assert done.returncode == 2
    assert "the query needed more than 200 MB of memory" in done.stderr
    assert done.stderr.count("\n") == 1


def test_the_next_query_is_answered(on_disk: dict[str, str]) -> None:
    done = kgservice(
        on_disk, "query", "--text", f"ASK {{ <{EX}s7> <{EX}v> 7 }}", "--format", "json"
    )
    assert (done.returncode, '"boolean":true' in done.stdout.replace(" ", "")) == (0, True)


def test_service_to_an_endpoint_not_allowed_is_refused(on_disk: dict[str, str]) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    done = kgservice(on_disk, "query", "--text", query)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "<http://example.org/sparql> is not an allowed endpoint" in done.stderr
