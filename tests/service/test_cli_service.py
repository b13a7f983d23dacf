"""``kgservice serve``, ``info`` and ``export`` as a user runs them: subprocesses."""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import free_port

from kgservice.bootstrap import bootstrap
from kgservice.settings import Settings
from kgservice.store import open_store

SRC = Path(__file__).parents[2] / "src"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "bootstrap"
BASE = "https://w3id.org/thaiplan/id/"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings for a copy of the bootstrap fixtures, through KGSERVICE_ variables only."""
    tree = tmp_path / "repo"
    shutil.copytree(FIXTURES, tree)
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "KGSERVICE_DATA_DIR": str(tmp_path / "store"),
        "KGSERVICE_ONTOLOGY_DIR": str(tree / "ontology"),
        "KGSERVICE_SHAPES_DIR": str(tree / "shapes"),
        "KGSERVICE_BUNDLED_DATA_DIR": str(tree / "data"),
    }


@pytest.fixture
def loaded(env: dict[str, str]) -> dict[str, str]:
    """A store on disk with the fixtures loaded, closed again for the command to open."""
    settings = Settings(
        data_dir=Path(env["KGSERVICE_DATA_DIR"]),
        ontology_dir=Path(env["KGSERVICE_ONTOLOGY_DIR"]),
        shapes_dir=Path(env["KGSERVICE_SHAPES_DIR"]),
        bundled_data_dir=Path(env["KGSERVICE_BUNDLED_DATA_DIR"]),
    )
    store = open_store(settings)
    bootstrap(store, settings)
    store.close()
    return env


def kgservice(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kgservice", *args], env=env, capture_output=True, timeout=60
    )


@pytest.mark.parametrize("command", ["serve", "info", "export"])
def test_each_command_has_help(command: str, env: dict[str, str]) -> None:
    done = kgservice(command, "--help", env=env)
    assert done.returncode == 0
    assert b"--data-dir" in done.stdout and b"--remote-query-url" in done.stdout


def test_info_lists_graphs_with_triple_counts_and_the_location(loaded: dict[str, str]) -> None:
    done = kgservice("info", env=loaded)
    lines = done.stdout.decode().splitlines()
    assert lines[0] == f"store: embedded ({loaded['KGSERVICE_DATA_DIR']})"
    assert f"         3  {BASE}graph/areas" in lines
    # the fixtures' 10 triples, and a checksum and a file stamp for each of the 4 sources
    assert lines[-1] == "        18  triples in 5 graphs"


def test_export_streams_every_graph_as_n_quads(loaded: dict[str, str]) -> None:
    done = kgservice("export", env=loaded)
    quads = list(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 18
    assert {q.graph_name.value for q in quads} >= {f"{BASE}graph/ontology", f"{BASE}graph/areas"}


def test_export_as_trig(loaded: dict[str, str]) -> None:
    done = kgservice("export", "--format", "trig", env=loaded)
    assert len(list(ox.parse(done.stdout, format=ox.RdfFormat.TRIG))) == 18


def test_export_of_one_graph(loaded: dict[str, str]) -> None:
    done = kgservice("export", "--graph", f"{BASE}graph/areas", env=loaded)
    triples = list(ox.parse(done.stdout, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 3


def test_export_of_a_missing_graph_is_exit_2_with_one_line(loaded: dict[str, str]) -> None:
    done = kgservice("export", "--graph", f"{BASE}graph/nothing", env=loaded)
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert f"{BASE}graph/nothing" in done.stderr.decode()


def test_an_unreachable_remote_store_is_exit_3_with_one_line(env: dict[str, str]) -> None:
    args = ("info", "--store", "remote", "--remote-query-url", "http://127.0.0.1:9/query")
    done = kgservice(*args, env=env)
    assert done.returncode == 3
    message = done.stderr.decode()
    assert message.count("\n") == 1 and "Traceback" not in message
    assert "127.0.0.1:9" in message


def test_serve_with_a_broken_bundled_file_is_exit_2_naming_file_and_line(
    env: dict[str, str],
) -> None:
    broken = Path(env["KGSERVICE_BUNDLED_DATA_DIR"]) / "areas.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    done = kgservice("serve", "--memory", "--port", str(free_port()), env=env)
    assert done.returncode == 2
    message = done.stderr.decode()
    assert "areas.ttl" in message and "line 2" in message and "Traceback" not in message


def test_serve_bootstraps_and_answers_queries(env: dict[str, str]) -> None:
    port = free_port()
    args = [sys.executable, "-m", "kgservice", "serve", "--memory", "--port", str(port)]
    server = subprocess.Popen(args, env=env, stderr=subprocess.PIPE)
    try:
        health = _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?{query}") as response:
            count = json.load(response)["results"]["bindings"][0]["n"]["value"]
        maps = Path(f"/proc/{server.pid}/maps").read_text()
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    assert health["bundled_data"] == "loaded"
    assert count == "18"
    assert b"GET /sparql 200" in log
    # started again with mimalloc preloaded (kgservice.allocator), in the same process
    assert "libmimalloc.so" in maps
    assert b"memory allocator: mimalloc" in log


def test_serve_keeps_the_system_allocator_when_asked(env: dict[str, str]) -> None:
    port = free_port()
    args = [sys.executable, "-m", "kgservice", "serve", "--memory", "--port", str(port)]
    server = subprocess.Popen(
        args, env={**env, "KGSERVICE_ALLOCATOR": "system"}, stderr=subprocess.PIPE
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        maps = Path(f"/proc/{server.pid}/maps").read_text()
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    assert "libmimalloc.so" not in maps
    assert b"memory allocator: default" in log


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> dict[str, object]:
    for _ in range(300):
        if server.poll() is not None:
            pytest.fail(f"kgservice serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return json.load(response)  # type: ignore[no-any-return]
        except OSError:
            time.sleep(0.05)
    pytest.fail("kgservice serve did not answer")
