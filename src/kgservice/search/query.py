"""Searching the word index: what people typed, read as words only, never as a query language.

Every word must be found in a label (as a word, as part of a compound word, or through an
abbreviation); a leading "โครงการ" is optional. The score is tantivy's BM25, plus a bonus when
the words stand together as typed (the exact phrase) and more when they are the whole label,
times a factor for the level of the resource's plan (national highest).
"""

from dataclasses import dataclass, field

import tantivy

from kgservice.errors import BadRequest
from kgservice.search.documents import Label
from kgservice.search.index import PREFIX_CHARS, SearchIndex, schema, stored, suggestion_keys
from kgservice.search.text import PROJECT, fold, parts, pieces_of, words

MAX_QUERY_CHARS = 200
MAX_LIMIT = 100
MAX_SUGGESTIONS = 10
PHRASE_BONUS = 20.0
WHOLE_LABEL_BONUS = 40.0
_SCHEMA = schema()
_Occur = tantivy.Occur


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    lang: str
    types: list[str]
    score: float
    rank: int
    owner: str
    province: str
    marked: list[tuple[str, bool]]
    """The label cut into pieces, each with whether it is one of the words searched for."""


@dataclass(frozen=True)
class Results:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per facet (``type``, ``level``, ``province``), each value and how many results have it."""


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()
    within: str | None = None


def search_words(text: str) -> list[str]:
    """The words of a search, or a 400 for a search that has none or is too long."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(
            f"คำค้นยาวเกินไป (the search text is {len(text)} characters; at most {MAX_QUERY_CHARS})",
            parameter="q",
        )
    found = words(text)
    if not found:
        raise BadRequest("ไม่มีคำให้ค้น (the search text has no words to search for)", parameter="q")
    return found


def search(
    index: SearchIndex,
    text: str,
    *,
    filters: Filters = Filters(),
    limit: int = 20,
    offset: int = 0,
    lang: str = "th",
    facets: bool = False,
) -> Results:
    found = search_words(text)
    query = _query(found, filters)
    searcher = index.searcher()
    result = searcher.search(
        query, min(limit, MAX_LIMIT), offset=offset, count=True, weight_by_field="weight"
    )
    wanted = set(found)
    hits = [_hit(searcher.doc(address), score, wanted, lang) for score, address in result.hits]
    counted = _facets(searcher, query) if facets else {}
    total: int = getattr(result, "count", None) or 0  # tantivy-py's stub lacks it
    return Results(total, hits, counted)


def matching_iris(index: SearchIndex, text: str, limit: int) -> list[str]:
    """The IRIs of the best ``limit`` matches, ranked as ``search`` ranks them."""
    searcher = index.searcher()
    query = _query(search_words(text), Filters())
    result = searcher.search(query, limit, count=False, weight_by_field="weight")
    return [stored(searcher.doc(address)).iri for _, address in result.hits]


def _query(found: list[str], filters: Filters) -> tantivy.Query:
    optional = len(found) > 1 and found[0] == PROJECT  # counts where present, needed nowhere
    clauses = [
        (_Occur.Should if optional and i == 0 else _Occur.Must, _word(w))
        for i, w in enumerate(found)
    ]
    if len(found) > 1:
        phrase = tantivy.Query.phrase_query(_SCHEMA, "words", list[str | tuple[int, str]](found))
        clauses.append((_Occur.Should, tantivy.Query.const_score_query(phrase, PHRASE_BONUS)))
    whole = tantivy.Query.term_set_query(_SCHEMA, "keys", ["".join(found)])
    clauses.append((_Occur.Should, tantivy.Query.const_score_query(whole, WHOLE_LABEL_BONUS)))
    if filters.types:
        kinds = tantivy.Query.term_set_query(_SCHEMA, "kinds", list(filters.types))
        clauses.append((_Occur.Must, kinds))
    if filters.within:
        clauses.append((_Occur.Must, tantivy.Query.term_query(_SCHEMA, "areas", filters.within)))
    return tantivy.Query.boolean_query(clauses)


def _word(word: str) -> tantivy.Query:
    """The word itself, or as part of a compound word or an abbreviation's meaning."""
    return tantivy.Query.boolean_query(
        [
            (_Occur.Should, tantivy.Query.term_query(_SCHEMA, "words", word)),
            (_Occur.Should, tantivy.Query.term_query(_SCHEMA, "parts", word)),
        ]
    )


def _hit(doc: tantivy.Document, score: float, wanted: set[str], lang: str) -> Hit:
    shown = stored(doc)
    text, label_lang = _best_label(shown.labels, wanted, lang)
    return Hit(
        iri=shown.iri,
        label=text,
        lang=label_lang,
        types=shown.types,
        score=round(score, 4),
        rank=int(doc["rank"][0]) if doc["rank"] else 0,
        owner=shown.owner,
        province=_first(doc, "province"),
        marked=marked(text, wanted),
    )


def _first(doc: tantivy.Document, name: str) -> str:
    values = doc[name]
    return str(values[0]) if values else ""


def _best_label(labels: list[Label], wanted: set[str], lang: str) -> tuple[str, str]:
    """The label that holds the most of the words, preferring rdfs:label in the reader's
    language."""

    def merit(label: Label) -> tuple[int, bool, bool]:
        found = words(label.text)
        held = wanted & {*found, *parts(found)}
        return len(held), label.lang == lang, label.prop.endswith("#label")

    text, label_lang, _ = max(labels, key=merit)
    return text, label_lang


def marked(text: str, wanted: set[str]) -> list[tuple[str, bool]]:
    """``text`` in pieces, word by word, a piece marked where it is a word searched for (or a
    compound that holds one)."""
    pieces: list[tuple[str, bool]] = []
    for piece in pieces_of(text):
        found = words(piece)
        pieces.append((piece, bool(wanted & {*found, *parts(found)})))
    return pieces


def _facets(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, dict[str, int]]:
    spec = {
        "type": {"terms": {"field": "kinds", "size": 60}},
        "level": {"terms": {"field": "rank", "size": 10}},
        "province": {"terms": {"field": "province", "size": 100}},
    }
    answer = searcher.aggregate(query, spec)
    return {
        name: {
            str(_key(b["key"])): int(b["doc_count"])
            for b in answer[name]["buckets"]
            if b["key"] != ""
        }
        for name in spec
    }


def _key(key: object) -> object:
    return int(key) if isinstance(key, float) else key


def suggest(index: SearchIndex, prefix: str) -> list[tuple[str, str]]:
    """Up to ten resources whose label starts with what was typed (with or without a leading
    "โครงการ"), higher levels first, one per distinct label."""
    typed = "".join(search_words(prefix))
    query = tantivy.Query.term_query(_SCHEMA, "prefixes", typed[:PREFIX_CHARS])
    if len(typed) > PREFIX_CHARS:
        pattern = "".join(f"\\{c}" if c.isascii() and not c.isalnum() else c for c in typed)
        longer = tantivy.Query.regex_query(_SCHEMA, "keys", pattern + ".*")
        query = tantivy.Query.boolean_query([(_Occur.Must, query), (_Occur.Must, longer)])
    searcher = index.searcher()
    result = searcher.search(query, MAX_SUGGESTIONS * 5, count=False, weight_by_field="weight")
    found: dict[str, tuple[str, str]] = {}
    for _, address in result.hits:
        shown = stored(searcher.doc(address))
        text = next((x.text for x in shown.labels if _starts(x.text, typed)), shown.labels[0].text)
        found.setdefault(fold(text), (shown.iri, text))
        if len(found) == MAX_SUGGESTIONS:
            break
    return list(found.values())


def _starts(label: str, typed: str) -> bool:
    return any(key.startswith(typed) for key in suggestion_keys(words(label)))
