"""The two embedded full-text engines the search index could use, on the same labels: SQLite
FTS5 and tantivy, each given the labels already cut into words (as the service does), timed
building the index, its size, and finding the best 20 matches (and counting them).

    python -m kgbench.search_engines DATA_DIR [--work DIR]

DATA_DIR holds N-Triples files (``kgservice generate`` output); every label of the service's
four label properties is taken.
"""

import argparse
import re
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import tantivy

from kgservice.search.documents import LABELS
from kgservice.search.text import words

SEARCHES = ["ถนน", "ขุด ลอก", "ผู้สูงอายุ", "บ้าน", "zzqx"]
_LINE = re.compile(r'^<([^>]*)> <([^>]*)> "(.*)"@(?:th|en) \.$')


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m kgbench.search_engines", description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--work", type=Path, default=Path("var/bench/search-engines"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    started = time.perf_counter()
    docs = list(_segmented(args.data))
    print(f"{len(docs)} labels segmented in {time.perf_counter() - started:.1f} s")
    fts5, tv = _fts5(args.work / "fts5.sqlite", docs), _tantivy(args.work / "tantivy", docs)
    for text in SEARCHES:
        print(
            f"{text}: fts5 top 20 {_median(fts5[0], text)} ms, count {_median(fts5[1], text)} ms;"
            f" tantivy top 20 and count {_median(tv, text)} ms"
        )


def _segmented(data: Path) -> Iterator[tuple[str, str]]:
    cache: dict[str, str] = {}
    wanted = set(LABELS)
    for path in sorted(data.glob("*.nt")):
        for line in path.open(encoding="utf-8"):
            match = _LINE.match(line.rstrip("\n"))
            if match and match.group(2) in wanted:
                text = match.group(3)
                found = cache.get(text) or cache.setdefault(text, " ".join(words(text)))
                yield match.group(1), found


Search = Callable[[str], object]


def _fts5(path: Path, docs: list[tuple[str, str]]) -> tuple[Search, Search]:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE w USING fts5(iri UNINDEXED, tokens, tokenize='ascii', prefix='2 3')"
    )
    db.executemany("INSERT INTO w(iri, tokens) VALUES (?, ?)", docs)
    db.commit()
    db.execute("INSERT INTO w(w) VALUES('optimize')")
    db.commit()
    size = path.stat().st_size >> 20
    print(f"fts5: built in {time.perf_counter() - started:.1f} s, {size} MB")

    def match(text: str) -> str:
        return " AND ".join(f'"{w}"' for w in text.split())

    def best(text: str) -> object:
        query = "SELECT iri FROM w WHERE w MATCH ? ORDER BY rank LIMIT 20"
        return db.execute(query, (match(text),)).fetchall()

    def count(text: str) -> object:
        return db.execute("SELECT count(*) FROM w WHERE w MATCH ?", (match(text),)).fetchone()

    return best, count


def _tantivy(path: Path, docs: list[tuple[str, str]]) -> Search:
    started = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("iri", stored=True, tokenizer_name="raw")
    builder.add_text_field("tokens", tokenizer_name="whitespace")
    schema = builder.build()
    path.mkdir()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=200_000_000, num_threads=2)
    for iri, tokens in docs:
        writer.add_document(tantivy.Document(iri=iri, tokens=tokens))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    size = sum(f.stat().st_size for f in path.iterdir()) >> 20
    print(f"tantivy: built in {time.perf_counter() - started:.1f} s, {size} MB")
    searcher = index.searcher()

    def best(text: str) -> object:
        terms = [tantivy.Query.term_query(schema, "tokens", w) for w in text.split()]
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, t) for t in terms])
        return searcher.search(query, 20).hits

    return best


def _median(search: Search, text: str, rounds: int = 30) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        search(text)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


if __name__ == "__main__":
    main()
