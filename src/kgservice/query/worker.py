"""A query worker: ``python -m kgservice.query.worker``, started by ``query.isolation``.

It reads requests from stdin and writes answers to stdout, one pickled message each behind its
length. Its first argument is a limit in bytes on its data (``RLIMIT_DATA``), a backstop to the
parent's look at its resident memory every few milliseconds: an allocation past it fails at
once, however fast the query grows, and the worker ends (the engine aborts) or answers
``memory`` (Python's ``MemoryError``).

It opens the store snapshot a request names read-only (a snapshot no process writes, so reading
it is safe) and keeps it open for the next request on the same snapshot. The rows
go back as SPARQL TSV and the triples as N-Triples, written by pyoxigraph; the row limit is
held while they are written. The parent ends the process when the query runs past its time or
memory limit, which gives all its memory back, and when it shuts down; a stop signal to the
whole process group leaves the workers to it.
"""

import io
import pickle
import resource
import signal
import struct
import sys
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

_LENGTH = struct.Struct("<Q")


@dataclass(frozen=True)
class Request:
    snapshot: str
    text: str
    default_graph: list[str] | None
    named_graphs: list[str] | None
    base_iri: str | None
    max_rows: int


@dataclass(frozen=True)
class Reply:
    kind: str
    """``boolean``, ``solutions``, ``triples``, ``too_many_rows``, ``memory``, ``syntax`` or
    ``failed``;
    ``ready`` once, when the worker has started."""
    body: bytes = b""
    variables: tuple[str, ...] = ()
    message: str = ""


def send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> object | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    message: object = pickle.loads(stream.read(_LENGTH.unpack(head)[0]))
    return message


class _TooManyRows(Exception):
    pass


class _Lines(io.BytesIO):
    """Keeps what pyoxigraph writes and stops it past ``limit`` lines."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.lines = 0
        self.limit = limit

    def write(self, data: "ReadableBuffer", /) -> int:
        self.lines += bytes(data).count(b"\n")
        if self.lines > self.limit:
            raise _TooManyRows
        return super().write(data)


def answer(store: ox.Store, request: Request) -> Reply:
    try:
        result = store.query(
            request.text,
            default_graph=_nodes(request.default_graph),
            named_graphs=_nodes(request.named_graphs),
            base_iri=request.base_iri,
        )
        return _written(result, request.max_rows)
    except SyntaxError as exc:
        return Reply("syntax", message=str(exc))
    except _TooManyRows:
        return Reply("too_many_rows")
    except MemoryError:
        return Reply("memory")
    except Exception as exc:  # the parent raises it as the store would have
        return Reply("failed", message=f"{type(exc).__name__}: {exc}")


def _written(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, rows: int) -> Reply:
    if isinstance(result, ox.QueryBoolean):
        return Reply("boolean", b"1" if result else b"")
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        output = _Lines(rows + 1)  # and the header line
        result.serialize(output, format=ox.QueryResultsFormat.TSV)
        return Reply("solutions", output.getvalue(), variables)
    output = _Lines(rows)
    result.serialize(output, format=ox.RdfFormat.N_TRIPLES)
    return Reply("triples", output.getvalue())


def _nodes(iris: list[str] | None) -> list[Any] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def main() -> None:
    data_bytes = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_DATA, (data_bytes, data_bytes))
    # A stop signal to the service's whole process group (Ctrl-C, ``timeout``, a service
    # manager) is the service's to act on: it answers the requests it has before it shuts down,
    # and ends its workers then (SIGKILL). A worker whose service is gone ends at its input's end.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.SIG_IGN)
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    send(outbox, Reply("ready"))  # the time it took to start is not the first query's
    store, opened = None, None
    while isinstance(request := receive(inbox), Request):
        if store is None or request.snapshot != opened:
            store, opened = None, None  # the old snapshot's files are let go first
            store, opened = ox.Store.read_only(request.snapshot), request.snapshot
        send(outbox, answer(store, request))


if __name__ == "__main__":  # run as a module: the messages' classes are the imported module's
    from kgservice.query.worker import main as imported

    imported()
