"""What the benchmark ran on: CPUs, memory, versions."""

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kgbench.servers import OXIGRAPH

PACKAGES = (
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "rdflib-endpoint",
    "pyshacl",
    "fastapi",
    "uvicorn",
    "starlette",
    "cmeel-mimalloc",
)


def describe() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "versions": {name: _version(name) for name in PACKAGES},
        "oxigraph_cli": _oxigraph_cli(),
    }


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _memory_gib() -> float:
    first = Path("/proc/meminfo").read_text().splitlines()[0]  # MemTotal:  N kB
    return round(int(first.split()[1]) / 1024**2, 1)


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _oxigraph_cli() -> str | None:
    if not OXIGRAPH.exists():
        return None
    done = subprocess.run([str(OXIGRAPH), "--version"], capture_output=True, text=True)
    return done.stdout.strip()
