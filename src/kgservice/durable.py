"""Files that survive a crash whole or not at all."""

import os
import uuid
from pathlib import Path


def write_whole(path: Path, data: bytes, *, sync_directory: bool = True) -> None:
    """``path`` holding ``data``, whole or not at all: written aside, synced, then renamed over
    it (``sync_directory``: and the rename made durable too, else by the next directory sync)."""
    aside = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with aside.open("wb") as output:
        output.write(data)
        output.flush()
        os.fsync(output.fileno())
    aside.replace(path)
    if sync_directory:
        synced(path.parent)


def synced(directory: Path) -> None:
    """A new or removed entry of ``directory`` survives a crash only once it is synced."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
