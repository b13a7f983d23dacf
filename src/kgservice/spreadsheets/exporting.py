"""The template, and an organisation's current plans filled into it."""

from kgservice.errors import NotFound
from kgservice.namespaces import graph_iri
from kgservice.services.writes import WriteService
from kgservice.spreadsheets import writing
from kgservice.spreadsheets.mapping import Mapping
from kgservice.spreadsheets.reading import Sheet
from kgservice.spreadsheets.tabulate import headings, tabulate
from kgservice.spreadsheets.vocabulary import Context, context


class Exporter:
    def __init__(self, writes: WriteService, mapping: Mapping) -> None:
        self.writes = writes
        self.mapping = mapping

    def template(self, org_id: str = "") -> bytes:
        """The blank workbook; for an organisation, its province's strategies in the lists."""
        sheets = [Sheet(t.sheet, headings(t)) for t in self.mapping.tables]
        return writing.xlsx(self.mapping, sheets, self._choices(self._context(org_id)))

    def workbook(self, org_id: str) -> bytes:
        found = self._context(org_id)
        return writing.xlsx(self.mapping, self.sheets(org_id, found), self._choices(found))

    def csv(self, org_id: str, sheet: str) -> str:
        table = self.mapping.table(sheet)
        if table is None:
            raise NotFound(
                f"no sheet {sheet}; the sheets are "
                + ", ".join(t.sheet for t in self.mapping.tables)
            )
        sheets = self.sheets(org_id, self._context(org_id))
        return writing.csv_text(next(s for s in sheets if s.name == table.sheet))

    def sheets(self, org_id: str, found: Context) -> list[Sheet]:
        graph = graph_iri(self.writes.settings.base_iri, org_id)
        if not self.writes.exists(graph):
            raise NotFound(f"no plans of organisation {org_id}", graph=graph)
        return tabulate(self.mapping, self.writes.content(graph), found)

    def _context(self, org_id: str) -> Context:
        settings = self.writes.settings
        return context(self.writes.store, settings.base_iri, org_id, self.mapping.choices)

    @staticmethod
    def _choices(found: Context) -> writing.Choices:
        return writing.Choices(found.choices, found.higher)
