"""The spreadsheets of one deployment: its mapping and limits, for the routes and the command
line alike."""

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


def organisation(org_id: str) -> str:
    """An organisation id from a path: never one of the service's own graphs."""
    if not org_id or org_id in SERVICE_GRAPHS or "/" in org_id:
        raise NotFound(f"no organisation {org_id!r}")
    return org_id
