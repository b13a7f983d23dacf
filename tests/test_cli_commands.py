"""The command line imports only the command asked for, and still lists every command."""

import subprocess
import sys
from pathlib import Path

from kgservice.cli import COMMANDS

HEAVY = ("kgservice.bulk", "kgservice.validation", "kgservice.spreadsheets", "pyshacl")


def imported_by(*arguments: str) -> set[str]:
    """The modules a fresh interpreter held after running ``kgservice ARGUMENTS``."""
    script = (
        "import sys; from kgservice.cli import main; main(sys.argv[1:]); "
        "print('\\n'.join(sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments], capture_output=True, text=True, check=True
    )
    return set(done.stderr.split())


def test_a_token_command_does_not_load_the_loader_the_validator_or_the_spreadsheets(
    tmp_path: Path,
) -> None:
    modules = imported_by("token", "list", "--data-dir", str(tmp_path / "store"))
    assert "kgservice.cli.token" in modules
    assert not [m for m in modules if m.startswith(HEAVY)]


def test_help_lists_every_command() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "kgservice", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in [*COMMANDS, "bench", "generate"]:
        assert f"    {name} " in shown or f"    {name}\n" in shown, name
