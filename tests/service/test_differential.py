"""The service answers as plain pyoxigraph would: random SELECT queries over one store, asked of
``/sparql`` (where the service may sort the rows itself and writes the result formats itself) and
of the store directly, give the same rows in the same order.

The data mixes what orders and serialises differently: integers, decimals and doubles of one
column compared by value, plain, language-tagged and Thai strings, IRIs beside literals, date-times
in several zones, and unbound values. Values within a column are distinct, so that rows that tie
under an ``ORDER BY`` have equal keys on both sides; columns do not mix numbers with strings, the
one case where the service's order and Oxigraph's may differ (see ``kgservice.query.ordering``).
"""

from collections.abc import Iterator
from decimal import Decimal

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgservice.settings import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = ox.NamedNode(EX + "g")
ROWS = 24
VARIABLES = ("s", "n", "t", "m", "d")
FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
Row = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]


def number(i: int) -> ox.Literal:
    """Distinct values of three numeric types, interleaved so that types alternate in order."""
    value = Decimal(i * 7 % ROWS) - Decimal(ROWS // 2)
    kind = ("integer", "decimal", "double")[i % 3]
    text = {"integer": str(value), "decimal": f"{value}.5", "double": f"{value}.25E0"}[kind]
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


def text(i: int) -> ox.Literal:
    words = ["ถนน", "road", "คลอง", "Canal", "ผู้สูงอายุ", "elder", "นา", "พัฒนา"]
    word = f"{words[i % len(words)]} {i * 5 % ROWS}"
    return ox.Literal(word, language=("th", "en", None)[i % 3]) if i % 3 < 2 else ox.Literal(word)


def mixed(i: int) -> ox.NamedNode | ox.Literal:
    """IRIs beside literals: SPARQL puts every IRI before every literal."""
    return ox.NamedNode(f"{EX}x{i * 11 % ROWS}") if i % 2 else ox.Literal(f"v{i:02d}")


def moment(i: int) -> ox.Literal:
    zone = ("Z", "+07:00", "-05:00")[i % 3]
    value = f"2026-01-{1 + i % 28:02d}T{i * 5 % 24:02d}:00:00{zone}"
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "dateTime"))


def data() -> Iterator[ox.Quad]:
    for i in range(ROWS):
        subject = ox.NamedNode(f"{EX}s{i:02d}")
        yield ox.Quad(subject, ox.NamedNode(EX + "kind"), ox.NamedNode(EX + "Thing"), GRAPH)
        for name, make in (("n", number), ("t", text), ("m", mixed), ("d", moment)):
            if (i + len(name) + ord(name)) % 5:  # about one in five left unbound
                yield ox.Quad(subject, ox.NamedNode(EX + name), make(i), GRAPH)


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.bulk_insert(data())
    return store


@pytest.fixture(scope="module")
def plain() -> ox.Store:
    """The same data in pyoxigraph alone, asked directly."""
    store = ox.Store()
    store.extend(data())
    return store


@pytest.fixture(scope="module")
def client(store: EmbeddedStore) -> Iterator[TestClient]:
    settings_ = Settings(memory=True, load_bundled_data=False)
    with TestClient(create_app(settings_, store=store)) as client:
        yield client


conditions = st.lists(
    st.tuples(st.sampled_from(VARIABLES), st.sampled_from(["", "ASC", "DESC"])),
    min_size=1,
    max_size=3,
)


def query(projected: list[str], order: list[tuple[str, str]], distinct: bool) -> str:
    optional = " ".join(f"OPTIONAL {{ ?s <{EX}{v}> ?{v} }}" for v in VARIABLES[1:])
    keys = " ".join(f"{way}(?{v})" if way else f"?{v}" for v, way in order)
    head = "SELECT DISTINCT" if distinct else "SELECT"
    columns = " ".join(f"?{v}" for v in projected)
    return f"{head} {columns} WHERE {{ ?s <{EX}kind> <{EX}Thing> {optional} }} ORDER BY {keys}"


def rows(solutions: ox.QuerySolutions) -> list[Row]:
    names = [v.value for v in solutions.variables]
    return [tuple(solution[name] for name in names) for solution in solutions]


def keyed(found: list[Row], projected: list[str], order: list[tuple[str, str]]) -> list[Row]:
    """Each row's ORDER BY key: tied rows may come in either order, their keys may not."""
    return [tuple(row[projected.index(v)] for v, _ in order) for row in found]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=conditions,
    extra=st.sets(st.sampled_from(VARIABLES)),
    distinct=st.booleans(),
    media_type=st.sampled_from(sorted(FORMATS)),
)
def test_the_service_answers_as_the_engine_does(
    client: TestClient,
    plain: ox.Store,
    order: list[tuple[str, str]],
    extra: set[str],
    distinct: bool,
    media_type: str,
) -> None:
    projected = sorted({v for v, _ in order} | extra, key=VARIABLES.index)
    text_ = query(projected, order, distinct)
    response = client.post("/sparql", data={"query": text_}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    here = rows(ox.parse_query_results(response.content, format=FORMATS[media_type]))
    there = rows(plain.query(text_, use_default_graph_as_union=True))
    assert sorted(map(repr, here)) == sorted(map(repr, there))
    assert keyed(here, projected, order) == keyed(there, projected, order)
