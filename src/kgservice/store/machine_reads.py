"""One read of a remote store's version token shared by the service processes of one machine,
through a small file beside them: a store read by N processes on one machine then answers about
as many version reads as it would for one.

The file holds the last read's token and when that read began (``time.monotonic``: one clock
for every process of the machine). A caller takes the file's lock, and is answered from the
file if the read recorded there began after it asked; otherwise it reads the store itself,
holding the lock, and records its read. So a caller is answered by a read begun after it asked,
which sees every write committed before (as ``version_reads``), and the callers who ask while
one process reads wait for the lock and share the read made next, whichever process makes it.
Each caller takes the lock itself, rather than behind one process's shared read
(``version_reads.SharedReads``), so that its own moment of asking decides: behind a process's
read, callers who asked during another process's read would read again when it ended.

The file lives in a folder of the user's own in the temporary directory, named for the store's
URL; where that folder is not the user's alone, or the file cannot be made, each process reads
for itself.
"""

import fcntl
import hashlib
import logging
import os
import stat
import struct
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from kgservice.store.version_reads import SharedReads

log = logging.getLogger("kgservice.store")
_HEAD = struct.Struct("<d?")
"""When the recorded read began, and whether the store had a token then."""


class MachineReads:
    def __init__(self, read: Callable[[], str | None], path: Path) -> None:
        self._read = read
        self._file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._lock = threading.Lock()  # the file lock is the open file's: one thread at a time
        self._failed: tuple[float, BaseException] = (-float("inf"), RuntimeError())
        """When this process's last failed read began, and why it failed: the callers who
        asked before are told so, as they would have been answered by it."""
        weakref.finalize(self, os.close, self._file)

    def __call__(self) -> str | None:
        """The token of a read begun after this call."""
        asked = time.monotonic()
        with self._lock:
            fcntl.flock(self._file, fcntl.LOCK_EX)
            try:
                return self._answer(asked)
            finally:
                fcntl.flock(self._file, fcntl.LOCK_UN)

    def outdate(self) -> None:
        """Nothing to do after this process's own write: every call is answered by a read
        begun after it (``version_reads.SharedReads.outdate``)."""

    def _answer(self, asked: float) -> str | None:
        """Holding both locks: the recorded token, or a new read's."""
        began, token = self._recorded()
        if began > asked:
            return token
        failed_at, error = self._failed
        if failed_at > asked:
            raise error
        began = time.monotonic()
        try:
            token = self._read()
        except BaseException as exc:
            self._failed = (began, exc)
            raise
        self._record(began, token)
        return token

    def _recorded(self) -> tuple[float, str | None]:
        data = os.pread(self._file, 4096, 0)
        if len(data) < _HEAD.size:
            return -float("inf"), None
        began, has_token = _HEAD.unpack_from(data)
        return began, data[_HEAD.size :].decode() if has_token else None

    def _record(self, began: float, token: str | None) -> None:
        data = _HEAD.pack(began, token is not None) + (token or "").encode()
        os.pwrite(self._file, data, 0)
        os.ftruncate(self._file, len(data))


def version_reads(
    read: Callable[[], str | None], url: str, *, tolerance_s: float
) -> "MachineReads | SharedReads[str | None]":
    """Reads of the version token of the store at ``url``: shared with this machine's other
    processes where the folder for it is this user's alone; with a tolerance, a recent read of
    this process answers first, with no request (``version_reads``)."""
    path = shared_file(url)
    try:
        machine = None if path is None else MachineReads(read, path)
    except OSError as exc:
        log.warning("%s: version reads are not shared (%s)", path, exc)
        machine = None
    if machine is None:
        return SharedReads(read, tolerance_s=tolerance_s)
    return SharedReads(machine, tolerance_s=tolerance_s) if tolerance_s else machine


def shared_file(url: str) -> Path | None:
    """The file the processes of this machine reading ``url``'s version share; None when the
    folder for it is not this user's alone."""
    folder = Path(tempfile.gettempdir()) / f"kgservice-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
    except OSError as exc:
        log.warning("%s: version reads are not shared (%s)", folder, exc)
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        log.warning("%s is not this user's alone: version reads are not shared", folder)
        return None
    return folder / f"version-{hashlib.sha256(url.encode()).hexdigest()[:32]}"
