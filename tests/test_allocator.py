"""Starting a command again with mimalloc preloaded (``kgservice.allocator``): real processes."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"

# A command that asks for mimalloc, then says which process it is and what it runs with.
PROGRAM = """
import os, sys
from pathlib import Path
import kgservice.allocator as allocator
if len(sys.argv) > 1:
    allocator.library = lambda: Path(sys.argv[1])
print("before", os.getpid(), flush=True)
allocator.restart_with_mimalloc()
print("after", os.getpid(), allocator.in_use(), os.environ.get("LD_PRELOAD", ""), flush=True)
"""


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    environment.update(PYTHONPATH=str(SRC), **(env or {}))
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_runs_again_in_the_same_process_with_mimalloc() -> None:
    done = _run()
    first, second, after = done.stdout.splitlines()
    pid = first.split()[1]
    assert second == first == f"before {pid}"  # the same command, started twice, in one process
    assert after.split()[:3] == ["after", pid, "mimalloc"]
    assert after.split()[3].endswith("libmimalloc.so")


def test_the_system_allocator_when_asked() -> None:
    done = _run(env={"KGSERVICE_ALLOCATOR": "system"})
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["before", "after"]
    assert done.stdout.splitlines()[-1].split()[2] == "default"


def test_a_library_that_cannot_be_preloaded_is_asked_for_once(tmp_path: Path) -> None:
    broken = tmp_path / "libmimalloc.so"
    broken.write_text("not a shared library")
    done = _run(str(broken))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["before", "before", "after"]
    assert lines[-1].split()[2:] == ["default", str(broken)]
    assert "cannot be preloaded" in done.stderr
