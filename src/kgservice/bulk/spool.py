"""Routed statements set aside on disk in batches of whole organisations, read back in order.

Organisations are taken by the rank of their plans' level (national first, then provincial,
then local), so that the elements a plan supports, which rule R03 wants at a higher level, are
in the store when the plan is validated; each level starts a new batch. Within a level,
organisations fill a batch up to a number of statements (``KGSERVICE_LOAD_BATCH_STATEMENTS``);
one organisation is never split.
"""

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from kgservice.bulk.ownership import AREAS

_FLUSH = 20_000
UNRANKED = 99


def plan_batches(
    sizes: Mapping[str | None, int], ranks: Mapping[str, int], limit: int
) -> dict[str | None, int]:
    """Each owner's batch number. Statements of no organisation (None) and reference data come
    first, with the highest-level organisations."""

    def order(owner: str | None) -> tuple[int, str]:
        if owner is None or owner == AREAS:
            return (0, owner or "")
        return (ranks.get(owner, UNRANKED), owner)

    batches: dict[str | None, int] = {}
    batch, filled, rank = 0, 0, None
    for owner in sorted(sizes, key=order):
        size = sizes[owner]
        if filled and (filled + size > limit or order(owner)[0] != rank):
            batch, filled = batch + 1, 0
        batches[owner] = batch
        filled += size
        rank = order(owner)[0]
    return batches


class Spool:
    """One N-Quads file per batch in a temporary directory (removed by ``close``)."""

    def __init__(self, where: Path | None, batches: int) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="kgservice-load-", dir=where))
        self.batches = batches
        self._files = [(self.directory / f"{n:05d}.nq").open("wb") for n in range(batches)]
        self._pending: list[list[ox.Quad]] = [[] for _ in range(batches)]

    def add(self, batch: int, quad: ox.Quad) -> None:
        pending = self._pending[batch]
        pending.append(quad)
        if len(pending) >= _FLUSH:
            self._flush(batch)

    def add_line(self, batch: int, line: bytes) -> None:
        """An N-Quads line, as it is."""
        self._files[batch].write(line)

    def _flush(self, batch: int) -> None:
        ox.serialize(self._pending[batch], self._files[batch], ox.RdfFormat.N_QUADS)
        self._pending[batch] = []

    def written(self) -> None:
        """Everything has been added: the files are complete."""
        for batch, file in enumerate(self._files):
            self._flush(batch)
            file.close()

    def read(self, batch: int) -> bytes:
        """The batch's N-Quads text: every statement names its graph."""
        return (self.directory / f"{batch:05d}.nq").read_bytes()

    def close(self) -> None:
        for file in self._files:
            file.close()
        shutil.rmtree(self.directory, ignore_errors=True)
