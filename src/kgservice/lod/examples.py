"""The named queries as ready examples for the query page: name, summary and SPARQL text."""

from dataclasses import dataclass

from kgservice.settings import Settings


@dataclass(frozen=True)
class Example:
    name: str
    summary: str
    text: str


def examples(settings: Settings, lang: str) -> list[Example]:
    return [
        Example(path.stem, path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(settings.queries_dir.glob("*.rq"))
    ]
