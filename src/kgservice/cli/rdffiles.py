"""Reading RDF files named on the command line, with the same parser and limits as HTTP."""

from pathlib import Path

import pyoxigraph as ox

from kgservice.errors import KgError
from kgservice.rdfinput import media_type_for_path, parse_rdf

EXIT_UNREADABLE = 2


class UnreadableFile(Exception):
    """A file that cannot be read or parsed; the message says which and why."""


def read_rdf(path: Path) -> ox.Dataset:
    try:
        return parse_rdf(path.read_bytes(), media_type_for_path(path))
    except OSError as e:
        raise UnreadableFile(f"{path}: cannot read: {e.strerror}") from None
    except KgError as e:
        raise UnreadableFile(f"{path}: {e.message}") from None
