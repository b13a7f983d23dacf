"""Named answers split by province stay kept under writes to other provinces: a write outdates
only the parts of the answers it reaches, and the answers reflect it as soon as it returns."""

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import REMOTE_ENGINES, emptied, remote_settings
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from queries_support import SETTINGS, TP, B, CountingStore, eventually

from kgservice.auth import TokenFile
from kgservice.bootstrap import bootstrap
from kgservice.query import named
from kgservice.settings import Settings
from kgservice.store import open_store
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.app import create_app

ORG = "lao-sao-400102"
SAMPLE = SETTINGS.bundled_data_dir / "sample" / f"{ORG}.ttl"
KHON_KAEN, UDON_THANI = f"{B}area/40", f"{B}area/41"
COVERAGE = "/queries/strategy-coverage"
ORPHANS = "/queries/orphan-projects"
UNSUPPORTED = "/queries/unsupported-strategies"
STRATEGY = f"{B}plan/provincial-40-2566-2570/strategy/"


@cache
def bundled() -> list[ox.Quad]:
    """The quads of the bundled data as a first start loads them, derived data included."""
    store = EmbeddedStore(None)
    bootstrap(store, SETTINGS)
    rows = store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[union-attr]


def counting_store() -> CountingStore:
    store = CountingStore()
    store.insert(bundled())
    return store


@pytest.fixture
def store() -> CountingStore:
    return counting_store()


@pytest.fixture
def client(store: CountingStore, tmp_path: Path) -> TestClient:
    # counted by the store in this process
    settings = Settings(
        memory=True, load_bundled_data=False, query_processes=False, tokens_file=tmp_path / "t.json"
    )
    return TestClient(create_app(settings, store=store))


def token(client: TestClient, org: str, *, admin: bool = False) -> str:
    tokens = TokenFile(client.app.state.settings.tokens_path)  # type: ignore[attr-defined]
    return tokens.create(f"{B}org/{org}", admin=admin)[1]


def supporting_strategy_5() -> bytes:
    """The organisation's plan with its support for Khon Kaen's strategy 2 turned to strategy 5,
    which no local plan supported."""
    triples = ox.parse(path=str(SAMPLE), format=ox.RdfFormat.TURTLE)
    moved = [
        ox.Triple(t.subject, t.predicate, ox.NamedNode(STRATEGY + "5"))
        if t.object == ox.NamedNode(STRATEGY + "2")
        else t
        for t in triples
    ]
    return ox.serialize(moved, format=ox.RdfFormat.N_TRIPLES)


def put(client: TestClient, org: str, body: bytes) -> None:
    response = client.put(
        "/data",
        params={"graph": f"{B}graph/{org}"},
        content=body,
        headers={
            "Authorization": f"Bearer {token(client, org)}",
            "Content-Type": "application/n-triples",
        },
    )
    assert response.status_code in (200, 204), response.text


def strategies(response: object) -> list[str]:
    rows = response.json()["results"]["bindings"]  # type: ignore[attr-defined]
    return [row["strategy"]["value"] for row in rows]


def test_a_write_in_one_province_leaves_another_provinces_answer_kept(
    client: TestClient, store: CountingStore
) -> None:
    udon_thani = client.get(COVERAGE, params={"province": UDON_THANI})
    assert strategies(client.get(UNSUPPORTED, params={"province": KHON_KAEN})) == [STRATEGY + "5"]
    orphans = client.get(ORPHANS)
    put(client, ORG, supporting_strategy_5())
    # Khon Kaen's parts are computed again by the service after the write returned
    # (orphan-projects only in the rows of the two organisations the write reaches: the
    # writer's, and the provincial administration's, whose plan its projects support); Udon
    # Thani's are not.
    eventually(lambda: store.ran("summaryTarget", f"<{KHON_KAEN}>") == 2)
    eventually(lambda: store.ran("OrphanProject", f"<{KHON_KAEN}>") == 3)
    assert store.ran("OrphanProject", f"<{KHON_KAEN}>", f"<{B}org/{ORG}>") == 1
    assert store.ran("OrphanProject", f"<{KHON_KAEN}>", f"<{B}org/lao-pao-40>") == 1
    assert store.ran("OrphanProject", f"<{UDON_THANI}>") == 1
    assert (
        client.get(COVERAGE, params={"province": UDON_THANI}).headers["etag"]
        == (udon_thani.headers["etag"])
    )
    assert store.ran("rollupProvince", f"<{UDON_THANI}>") == 1
    assert strategies(client.get(UNSUPPORTED, params={"province": KHON_KAEN})) == []
    assert client.get(ORPHANS).content == orphans.content
    # and the readers were served them as kept
    assert store.ran("OrphanProject", f"<{KHON_KAEN}>") == 3
    assert store.ran("summaryTarget", f"<{KHON_KAEN}>") == 2


SOURCES = {
    "lao-mun-400101": SAMPLE.parent / "lao-mun-400101.ttl",
    ORG: SAMPLE,
    "lao-sao-400111": SAMPLE.parent / "lao-sao-400111.ttl",
    "lao-sao-401014": SAMPLE.parent / "lao-sao-401014.ttl",
    "lecture-example": SETTINGS.bundled_data_dir / "lecture-example.ttl",
    "provincial-40": SAMPLE.parent / "provincial-40.ttl",
}
"""Local governments of two districts of Khon Kaen, the lecture's organisations of Udon Thani
(one graph, written by an administrator), and Khon Kaen's provincial office (its agreements)."""
ONLY_AS_LOCAL = {"no jurisdiction", "supports strategy 5", "deleted"}
"""Writes not made by the provincial office: the local plans support its strategies (R17 and
the support rules would refuse the local governments' writes after them)."""
MUN_400101 = f"{B}plan/lao-mun-400101-2566-2570/"
QUESTIONS: list[tuple[str, dict[str, str]]] = [
    ("agreements-between-levels", {}),
    ("budget-by-strategy", {"province": KHON_KAEN, "fiscalYear": "2567"}),
    ("budget-by-strategy", {"province": UDON_THANI, "fiscalYear": "2567"}),
    ("calendar-misalignment", {}),
    ("duplicate-candidates", {}),
    ("duplicate-candidates", {"province": KHON_KAEN}),
    ("indicators-without-targets", {}),
    ("linkage-chain", {"element": MUN_400101 + "project/3"}),
    ("national-strategy-budget", {"fiscalYear": "2567"}),
    ("orphan-projects", {}),
    ("orphan-projects", {"province": KHON_KAEN}),
    ("parallel-plans", {}),
    ("strategy-coverage", {"province": KHON_KAEN}),
    ("strategy-coverage", {"province": UDON_THANI}),
    ("supporting-local-plans", {"strategy": STRATEGY + "2"}),
    ("unsupported-strategies", {"province": KHON_KAEN}),
    ("unsupported-strategies", {"province": UDON_THANI}),
]
"""Every named query, over the whole country and for one province (or its own parameters)."""


def turned(old: str, new: str) -> Callable[[list[ox.Triple]], list[ox.Triple]]:
    """Every ``old`` object turned to ``new``."""
    return lambda triples: [
        ox.Triple(t.subject, t.predicate, ox.NamedNode(new)) if t.object.value == old else t
        for t in triples
    ]


def retitled(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Every Thai label of a project that of lao-mun-400101's project 3: title twins appear."""
    projects = {t.subject for t in triples if t.object == ox.NamedNode(TP + "Project")}
    return [
        ox.Triple(t.subject, t.predicate, CCTV)
        if t.subject in projects and t.predicate == RDFS_LABEL and t.object.language == "th"  # type: ignore[union-attr]
        else t
        for t in triples
    ]


CCTV = ox.Literal("โครงการติดตั้งกล้องโทรทัศน์วงจรปิดในชุมชน", language="th")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
VARIANTS: dict[str, Callable[[list[ox.Triple]], list[ox.Triple]]] = {
    "as written": list,
    "no jurisdiction": lambda ts: [t for t in ts if t.predicate.value != TP + "jurisdiction"],
    "supports strategy 5": turned(STRATEGY + "2", STRATEGY + "5"),
    "retitled": retitled,
    "deleted": lambda ts: [],
    "without targets": lambda ts: [t for t in ts if t.predicate.value != TP + "targetValue"],
}


def write(client: TestClient, org: str, variant: str) -> None:
    triples = VARIANTS[variant](list(ox.parse(path=str(SOURCES[org]), format=ox.RdfFormat.TURTLE)))
    admin = org == "lecture-example"
    graph = {"graph": f"{B}graph/{org}"}
    auth = {"Authorization": f"Bearer {token(client, org, admin=admin)}"}
    if not triples:
        response = client.delete("/data", params=graph, headers=auth)
        assert response.status_code in (204, 404), response.text  # 404: deleted already
        return
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    headers = {**auth, "Content-Type": "application/n-triples"}
    response = client.put("/data", params=graph, content=body, headers=headers)
    assert response.status_code in (200, 201, 204), response.text


def ask(client: TestClient, name: str, params: dict[str, str], **headers: str) -> bytes:
    response = client.get(f"/queries/{name}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.content


WRITES = [
    (org, variant)
    for org in sorted(SOURCES)
    for variant in sorted(VARIANTS)
    if (org, variant) != ("lecture-example", "no jurisdiction")  # its plans need it (R17)
    and not (org == "provincial-40" and variant in ONLY_AS_LOCAL)
]
writes = st.lists(st.sampled_from(WRITES), min_size=1, max_size=3)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(sequence=writes)
@example(sequence=[("provincial-40", "without targets"), ("lao-mun-400101", "deleted")])
def test_kept_answers_equal_a_recomputation_after_any_writes(
    tmp_path: Path, sequence: list[tuple[str, str]]
) -> None:
    store = counting_store()
    # counted by the store in this process
    settings = Settings(
        memory=True, load_bundled_data=False, query_processes=False, tokens_file=tmp_path / "t.json"
    )
    assert_kept_equal_recomputed(TestClient(create_app(settings, store=store)), sequence)


@pytest.mark.parametrize("engine", REMOTE_ENGINES)
@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: examples are slow
)
@given(sequence=st.lists(st.sampled_from(WRITES), min_size=1, max_size=2))
def test_kept_answers_equal_a_recomputation_after_any_writes_on_a_remote_store(
    engine: str,
    engine_url: Callable[[str], str],
    tmp_path: Path,
    sequence: list[tuple[str, str]],
) -> None:
    """As above, over ``oxigraph serve`` and Virtuoso (where the union is a graph of its own),
    with fewer and shorter sequences: each example starts the store as a first start does."""
    settings = remote_settings(engine, engine_url(engine), tokens_file=tmp_path / "t.json")
    store = open_store(emptied(settings))
    bootstrap(store, SETTINGS.model_copy(update={"store": "remote"}))
    assert_kept_equal_recomputed(TestClient(create_app(settings, store=store)), sequence)


def assert_kept_equal_recomputed(client: TestClient, sequence: list[tuple[str, str]]) -> None:
    for name, params in QUESTIONS:  # kept before the writes
        ask(client, name, params)
    for org, variant in sequence:
        write(client, org, variant)
        # as soon as the write returned, while the service computes again what it outdated
        for name, params in QUESTIONS:
            kept = ask(client, name, params)
            again = ask(client, name, params, **{"Cache-Control": "no-cache"})
            assert kept == again, (org, variant, name, params)


def test_national_answers_computed_at_start_are_served_without_computing_again(
    client: TestClient, store: CountingStore
) -> None:
    queries = named.load_named_queries(SETTINGS.queries_dir)
    client.app.state.answers.warm(queries)  # type: ignore[attr-defined]
    for name in ("orphan-projects", "duplicate-candidates"):
        asked = len(store.queries)
        page = client.get(f"/queries/{name}", params={"limit": "100"})
        assert len(store.queries) == asked  # every province's part was kept
        fresh = client.get(
            f"/queries/{name}", params={"limit": "100"}, headers={"Cache-Control": "no-cache"}
        )
        assert page.content == fresh.content
