"""The spreadsheets of one deployment: its mapping and limits, for the routes and the command
line alike."""

import re

from kgservice.errors import NotFound
from kgservice.namespaces import SERVICE_GRAPHS
from kgservice.services.writes import WriteService
from kgservice.spreadsheets.exporting import Exporter
from kgservice.spreadsheets.importing import Importer
from kgservice.spreadsheets.mapping import load_mapping
from kgservice.spreadsheets.reading import Limits


def importer(writes: WriteService) -> Importer:
    mapping = load_mapping(writes.settings.spreadsheet_mapping)
    return Importer(writes, mapping, Limits.of(writes.settings))


def exporter(writes: WriteService) -> Exporter:
    return Exporter(writes, load_mapping(writes.settings.spreadsheet_mapping))


ORGANISATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def organisation(org_id: str) -> str:
    """An organisation id from a path: a plain name, never one of the service's own graphs."""
    if not ORGANISATION_ID.fullmatch(org_id) or org_id in SERVICE_GRAPHS:
        raise NotFound(f"no organisation {org_id!r}")
    return org_id
