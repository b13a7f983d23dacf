"""Validated, atomic, serialised writes; every change to the store's data goes through here.

Each write: check that the principal may write every graph it touches; compute those graphs as
they would be after the write (without touching the store); validate that against the shapes;
refuse it (422, store unchanged) on any violation; otherwise compute the derived data's changes
for the graphs as they will be, and commit the graphs, a ``tp:Submission`` in the provenance
graph and those changes in one transaction: a crash leaves all three as before or all as after.
One lock per service, and a writer's turn in a store several service processes share, serialise
writers, so no write is computed from a state another write is about to replace.
"""

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from kgservice.auth import Principal, check_may_write
from kgservice.derived import upkeep
from kgservice.derived.facts import Replacement
from kgservice.errors import Forbidden, ForbiddenOperation, NotFound, ValidationFailed
from kgservice.namespaces import graph_iri
from kgservice.query.prepare import PreparedUpdate
from kgservice.services import provenance
from kgservice.services.authority import check_subjects
from kgservice.services.documents import RdfBody
from kgservice.services.scratch import run_update, scratch_content, scratch_copy
from kgservice.services.update_scope import DEFAULT, UpdateScope, update_scope
from kgservice.settings import Settings
from kgservice.store import Store
from kgservice.store.base import solutions
from kgservice.validation import ValidationReport, validate
from kgservice.validation.incremental import LastValidation

Triples = Sequence[ox.Triple]
Content = Triples | RdfBody
"""What a Graph Store write brings: parsed triples, or a body parsed once the writer may write."""
GRAPH_EXISTS = "ASK { GRAPH ?g { ?s ?p ?o } }"
GRAPH_SIZE = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class WriteResult:
    graphs: dict[str, int]
    """Each changed graph and its number of triples after the write."""
    created: bool
    """The write created its (only) target graph."""
    submission: str | None
    """The IRI of the write's ``tp:Submission`` (None when nothing was written)."""
    report: ValidationReport


def default_graph(settings: Settings) -> str:
    """The named graph that stands for the Graph Store's and SPARQL Update's default graph."""
    return graph_iri(settings.base_iri, "default")


class WriteService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._lock = threading.Lock()
        self.last_validation = LastValidation()
        """The last graph validated, so that graph's next write is validated by its difference."""
        self.after_commit: list[Callable[[list[str], str], None]] = []
        """Called with the written graphs and the write's ``tp:Submission`` after each commit,
        under the writers' lock (the search index's upkeep)."""
        self.around_commit: list[Callable[[list[str]], AbstractContextManager[None]]] = []
        """Entered with the graphs about to be committed and left once the commit is done
        (the kept answers' parts, which look at the graphs before and after)."""

    @contextmanager
    def _one_writer(self) -> Iterator[None]:
        """One write at a time: among this process's threads, and among all the processes that
        share a remote store (``Store.exclusive_writes``)."""
        with self._lock, self.store.exclusive_writes():
            yield

    def exists(self, graph: str) -> bool:
        return bool(self.store.query(GRAPH_EXISTS, bindings={"g": ox.NamedNode(graph)}))

    def content(self, graph: str) -> list[ox.Triple]:
        return self.store.graph_triples(graph)

    def count(self, graph: str) -> int:
        rows = self.store.query(GRAPH_SIZE, bindings={"g": ox.NamedNode(graph)})
        return sum(int(row["n"].value) for row in solutions(rows))

    def put(
        self, principal: Principal, graph: str, content: Content, *, lang: str = "th"
    ) -> WriteResult:
        """Replace a graph's content (Graph Store PUT)."""
        check_may_write(principal, graph, self.settings)
        triples = _parsed(content, graph)
        with self._one_writer():
            return self._commit(principal, "PUT", {graph: triples}, lang)

    def post(
        self, principal: Principal, graph: str, content: Content, *, lang: str = "th"
    ) -> WriteResult:
        """Add to a graph (Graph Store POST)."""
        check_may_write(principal, graph, self.settings)
        triples = _parsed(content, graph)
        with self._one_writer():
            after = {graph: [*self.content(graph), *triples]}
            return self._commit(principal, "POST", after, lang)

    def delete(self, principal: Principal, graph: str, *, lang: str = "th") -> WriteResult:
        """Remove a graph (Graph Store DELETE)."""
        check_may_write(principal, graph, self.settings)
        with self._one_writer():
            if not self.exists(graph):
                raise NotFound(f"no graph {graph}", graph=graph)
            return self._commit(principal, "DELETE", {graph: ()}, lang)

    def update(
        self,
        principal: Principal,
        update: PreparedUpdate,
        *,
        base_iri: str | None,
        lang: str = "th",
    ) -> WriteResult:
        """Run a SPARQL Update on a scratch copy of the graphs it touches, then commit those."""
        scope = update_scope(update.text, base_iri=base_iri or self.settings.base_iri)
        self._check_scope(principal, scope)
        home = default_graph(self.settings)
        with self._one_writer():
            written = self._written_graphs(scope)
            scratch = scratch_copy(self.content, written | self._named(scope.read), home=home)
            run_update(scratch, update, base_iri=base_iri)
            if not written:  # e.g. only a prologue: nothing to validate, commit or record
                return WriteResult({}, False, None, ValidationReport(()))
            after = {g: scratch_content(scratch, g, home=home) for g in written}
            return self._commit(principal, "SPARQL Update", after, lang)

    def _check_scope(self, principal: Principal, scope: UpdateScope) -> None:
        fetches = scope.fetches - set(self.settings.allowed_service_endpoints)
        if fetches or (scope.fetches and not principal.admin):
            raise ForbiddenOperation(
                "LOAD and SERVICE are not allowed here", endpoints=sorted(fetches)
            )
        if scope.all_graphs and not principal.admin:
            raise Forbidden("only an administrator may change graphs it does not name (ALL, ?g)")
        for graph in self._named(scope.written):
            check_may_write(principal, graph, self.settings)

    def _named(self, graphs: Iterable[str]) -> set[str]:
        return {default_graph(self.settings) if g == DEFAULT else g for g in graphs}

    def _written_graphs(self, scope: UpdateScope) -> set[str]:
        written = self._named(scope.written)
        return written | set(self.store.graphs()) if scope.all_graphs else written

    def _commit(
        self,
        principal: Principal,
        operation: str,
        content: Mapping[str, Triples],
        lang: str,
    ) -> WriteResult:
        started = datetime.now(UTC)
        graphs = sorted(content)
        created = len(graphs) == 1 and not self.exists(graphs[0])
        alone = check_subjects(self.store, principal, content, base_iri=self.settings.base_iri)
        after = (t for triples in content.values() for t in triples)
        report = validate(
            self.store,
            after,
            settings=self.settings,
            replacing=graphs,
            alone=alone,
            last=self.last_validation,
        )
        if not report.conforms:
            raise ValidationFailed(
                "ข้อมูลไม่ผ่านกฎการเชื่อมโยงแผน / the write breaks the plan rules; nothing changed",
                report=report.to_json(lang),
            )
        derived = upkeep.changes(self.store, self.settings, Replacement(self._changed(content)))
        iri = provenance.submission_iri(self.settings.base_iri, started)
        record = provenance.Submission(
            principal.org_iri, operation, graphs, started, datetime.now(UTC)
        )
        then = [
            *provenance.record(self.settings.base_iri, iri, record),
            *derived,
            *self.store.version_change(),  # last: a process that sees it sees all the rest
        ]
        with ExitStack() as watching:
            for watch in self.around_commit:
                watching.enter_context(watch(graphs))
            self.store.replace_graphs(content, then=then)
        for listener in self.after_commit:
            listener(graphs, iri.value)
        counts = {g: self.count(g) for g in graphs}
        return WriteResult(counts, created, iri.value, report)

    def _changed(self, content: Mapping[str, Triples]) -> dict[str, Triples]:
        """The graphs the write changes. What is derived from the others stays as it is: the
        derived data follows from the graphs' triples (a graph sent again as it is stored, an
        office's workbook sent twice, derives nothing new)."""
        return {g: new for g, new in content.items() if not _same(self.content(g), new)}


def _same(stored: Triples, new: Triples) -> bool:
    """The same triples; blank nodes make any two contents differ (a write gives them fresh
    identities)."""
    return set(stored) == set(new) and not any(map(_blank, new))  # the sets first: cheaper


def _blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _parsed(content: Content, graph: str) -> Triples:
    """The triples of a write; relative IRIs in a body resolve against the graph's IRI."""
    return content.triples(base_iri=graph) if isinstance(content, RdfBody) else content
