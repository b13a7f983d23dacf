"""``kgbench.shared_store`` on the small generated country: the service over ``oxigraph serve``
and Virtuoso, one and two service processes, every request answered (timings are not
checked)."""

from pathlib import Path

from kgbench.generate import SCALES, generate
from kgbench.shared_store import ENGINES, main
from kgservice.query.named import load_named_queries
from kgservice.settings import Settings


def test_each_engine_answers_every_named_query_and_every_throughput_request(
    tmp_path: Path,
) -> None:
    settings = Settings(memory=True)
    data = tmp_path / "data"
    generate(SCALES["small"], 7, data, areas=settings.bundled_data_dir / "areas.ttl")
    found = main(data, tmp_path / "work", clients=2, requests=4, repeats=1)
    names = {q.name for q in load_named_queries(settings.queries_dir)}
    assert set(found) == set(ENGINES)
    for engine in ENGINES:
        measured = found[engine]
        assert isinstance(measured, dict)
        assert {label.split(" (")[0] for label in measured["named_queries_ms"]} == names
        assert {(t["completed"], t["errors"]) for t in measured["throughput"].values()} == {(4, 0)}
