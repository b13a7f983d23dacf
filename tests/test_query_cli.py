"""``kgservice query``: named queries with --param, SPARQL from a file or --text, errors."""

import json
from pathlib import Path

import pytest
from queries_support import SETTINGS, B

from kgservice.bootstrap import bootstrap
from kgservice.cli import main
from kgservice.cli.table import width
from kgservice.store.embedded import EmbeddedStore

KHON_KAEN = B + "area/40"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the bundled data, as ``kgservice serve`` leaves it."""
    path = tmp_path_factory.mktemp("store")
    store = EmbeddedStore(path)
    bootstrap(store, SETTINGS)
    store.close()
    return path


def query(data_dir: Path, *args: str) -> int:
    return main(["query", *args, "--data-dir", str(data_dir)])


def test_a_named_query_prints_an_aligned_table_with_thai_labels(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert query(data_dir, "unsupported-strategies", "--param", f"province={KHON_KAEN}") == 0
    header, rule, row, count = capsys.readouterr().out.splitlines()
    assert header.split() == ["province", "plan", "strategy"]
    assert row.startswith("ขอนแก่น")
    # The strategy column starts at the same screen column in every line, although the Thai plan
    # label before it has vowel and tone marks that take no column of their own.
    start = header.index("strategy")
    assert rule[start - 2 : start] == "  " and rule[start] == "-"
    assert width(row[: row.index("ประเด็นยุทธศาสตร์ที่ ๕")]) == start
    assert count == "(1 rows)"


def test_formats_come_from_the_shared_serialiser(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert query(data_dir, "orphan-projects", "--format", "json") == 0
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert len(bindings) == 3
    assert query(data_dir, "parallel-plans", "--format", "csv") == 0
    assert capsys.readouterr().out.startswith("area,areaLabel,level,")


def test_sparql_from_text_and_from_a_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/thaiplan/ontology#Project> }"
    assert query(data_dir, "--text", text, "--format", "tsv") == 0
    from_text = capsys.readouterr().out
    file = tmp_path / "count.rq"
    file.write_text(text, "utf-8")
    assert query(data_dir, str(file), "--format", "tsv") == 0
    assert capsys.readouterr().out == from_text
    # 14 + 13 + 10 + 8 + 9 + 8 sample projects and 6 legacy ones.
    assert from_text.splitlines()[1].startswith('"68"')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-query"], "no named query 'no-such-query'"),
        (["budget-by-strategy", "--param", f"province={KHON_KAEN}"], "'fiscalYear'"),
        (["linkage-chain", "--param", "element=project-1"], "absolute IRI"),
        (["linkage-chain", "--param", "element"], "KEY=VALUE"),
        (["--text", "SELECT * WHERE {\n  ?s ?p\n}"], "error at 3:"),
        ([], "a query NAME, a FILE or --text"),
    ],
)
def test_mistakes_exit_2_with_a_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert query(data_dir, *args) == 2
    assert message in capsys.readouterr().err


def test_an_in_memory_store_starts_with_the_bundled_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["query", "orphan-projects", "--memory", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 3
