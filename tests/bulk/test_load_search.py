"""``kgservice load`` brings the search index up to date at its end, as a write does after its
commit: a loaded project is found by its words without rebuilding the index."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgservice.cli import main

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROJECT = "https://w3id.org/thaiplan/ontology#Project"


def a_project_and_its_label(file: Path) -> tuple[str, str]:
    triples = list(ox.parse(path=str(file), format=ox.RdfFormat.N_TRIPLES))
    projects = {t.subject.value for t in triples if t.object.value == PROJECT}
    return next(
        (t.subject.value, t.object.value)
        for t in sorted(triples, key=str)
        if t.subject.value in projects and t.predicate.value == RDFS_LABEL
    )


def test_a_loaded_project_is_found_by_its_words(
    organisation_files: list[Path], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = next(f for f in organisation_files if f.name == "lao-sao-400104.nt")
    project, label = a_project_and_its_label(file)
    store = ["--data-dir", str(data_dir)]
    assert main(["search", label, "--limit", "100", *store]) == 0  # the index, built before
    assert project not in capsys.readouterr().out
    assert main(["load", str(file), "--by-organisation", *store]) == 0
    capsys.readouterr()
    assert main(["search", label, "--limit", "100", *store]) == 0
    assert project in capsys.readouterr().out
