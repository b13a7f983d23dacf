"""The memory allocator behind the store: mimalloc, where it is installed, instead of glibc's.

Oxigraph's bulk loader makes and frees a great many small buffers, and glibc's ``malloc`` spends
much of a load's time on them and keeps much of the memory afterwards; mimalloc (PyPI
``cmeel-mimalloc``) does neither (figures in ``docs/benchmarks/profiles.md``). An allocator
is chosen when a process starts, so the commands that bulk-load (and the benchmark's in-process
floor, to be measured like the service) start themselves once more with mimalloc preloaded
(``LD_PRELOAD``), on Linux, before they do anything else. ``KGSERVICE_ALLOCATOR=system`` keeps
glibc's.
"""

import os
import re
import sys
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "cmeel-mimalloc"
LIBRARY = "libmimalloc.so"
SWITCH = "KGSERVICE_ALLOCATOR"


def library() -> Path | None:
    """mimalloc's shared library, if its distribution is installed."""
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return None
    found = [Path(str(f.locate())) for f in files if f.name == LIBRARY]
    return found[0] if found and found[0].is_file() else None


def in_use(pid: int | str = "self") -> str:
    """The allocator of a process (this one by default), for logs and benchmark records:
    ``mimalloc`` when it is loaded, else ``default`` (the program's own choice)."""
    return "mimalloc" if _mapped(pid) else "default"


def restart_with_mimalloc() -> None:
    """Start this very command again with mimalloc preloaded, unless it is loaded already, is not
    installed, was switched off, or was asked for once and not loaded (no loop)."""
    path = library()
    if sys.platform != "linux" or os.environ.get(SWITCH) == "system" or path is None:
        return
    preloaded = os.environ.get("LD_PRELOAD", "")
    if _mapped() or str(path) in re.split(r"[: ]", preloaded):
        return
    env = dict(os.environ, LD_PRELOAD=":".join(filter(None, [str(path), preloaded])))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, sys.orig_argv, env)


def _mapped(pid: int | str = "self") -> bool:
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False
    return LIBRARY in maps
