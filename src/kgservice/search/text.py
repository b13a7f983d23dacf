"""Text as the search index sees it: folded, then cut into words with PyThaiNLP's dictionary.

Thai is written without spaces between words, so a label is segmented into dictionary words by
nlpo3 (PyThaiNLP's maximal-matching segmenter in Rust, on PyThaiNLP's own word list) and matched
word by word: "นา" (rice field) finds "บ้านนา" but not "พัฒนา". The same folding and segmentation
run on labels and on what people type, so both meet on the same words.
"""

import re
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import nlpo3
import pythainlp

DICTIONARY = "kgservice-th"
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ABBREVIATIONS = {
    "คสล": "คอนกรีตเสริมเหล็ก",
    "อบต": "องค์การบริหารส่วนตำบล",
    "อบจ": "องค์การบริหารส่วนจังหวัด",
    "อปท": "องค์กรปกครองส่วนท้องถิ่น",
    "รพสต": "โรงพยาบาลส่งเสริมสุขภาพตำบล",
    "ศพด": "ศูนย์พัฒนาเด็กเล็ก",
    "กศน": "การศึกษานอกระบบและการศึกษาตามอัธยาศัย",
}
"""Abbreviations planning offices write in titles, and what they stand for: a label with either
is found by both."""
PROJECT = "โครงการ"
"""Most project titles start with "project": a search or a suggestion need not."""
_DOT_AFTER_CONSONANT = re.compile(r"(?<=[ก-ฮ])\.")  # คสล. and พ.ศ. fold to คสล and พศ
_WORD = re.compile(r"[\w\u0e00-\u0e7f]+")
_INVISIBLE = "\u200b\u200c\u200d\ufeff\u00ad"
_FOLDED = {**THAI_DIGITS, **dict.fromkeys(map(ord, _INVISIBLE))}
_TO_FOLD = re.compile(f"[๐-๙{_INVISIBLE}]")
MIN_PART = 3
"""Shorter pieces of a compound are mostly accidents of spelling: "คอนกรีต" holds "นก" (bird)."""


def fold(text: str) -> str:
    """Case, Thai digits, spacing, invisible characters and abbreviation dots folded away."""
    text = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    if _TO_FOLD.search(text):  # translating is slow, and most labels have nothing to translate
        text = text.translate(_FOLDED)
    text = text.casefold()
    return " ".join(_DOT_AFTER_CONSONANT.sub("", text).split())


def words(text: str) -> list[str]:
    """The words of ``text``, folded: Thai segmented with the dictionary, other scripts split
    at anything that is not a letter or digit."""
    return [w for chunk in _WORD.findall(fold(text)) for w in _segment(chunk)]


def pieces_of(text: str) -> list[str]:
    """``text`` cut at word boundaries, every character kept (spaces and punctuation too)."""
    return list(nlpo3.segment(text, _dictionary()))


@cache
def _segment(chunk: str) -> tuple[str, ...]:
    if not any("\u0e00" <= c <= "\u0e7f" for c in chunk):
        return (chunk,)
    return tuple(w for w in nlpo3.segment(chunk, _dictionary()) if w.strip())


def parts(found: list[str]) -> list[str]:
    """More words a label is found by: the dictionary words a compound word is made of
    ("คลองส่งน้ำ": "คลอง", "ส่งน้ำ"), and each abbreviation's meaning and the other way round."""
    extra = [p for w in found for p in _components(w)]
    joined = "".join(found)
    for short, long in ABBREVIATIONS.items():
        if short in found:
            extra += _segment(long)
        elif long in joined:
            extra.append(short)
    return extra


@cache
def _components(word: str) -> tuple[str, ...]:
    """The fewest dictionary words other than ``word`` that make it up (none when no such split
    exists: "พัฒนา" has none, so "นา" never finds it)."""
    return _cover(word, _vocabulary())


def _cover(word: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    n = len(word)
    best: list[tuple[str, ...] | None] = [()] + [None] * n
    for end in range(MIN_PART, n + 1):
        for start in range(0, end - MIN_PART + 1):
            head, piece = best[start], word[start:end]
            if head is None or piece == word or piece not in vocabulary:
                continue
            if best[end] is None or len(head) + 1 < len(best[end] or ()):
                best[end] = (*head, piece)
    return best[n] or ()


@cache
def _vocabulary() -> frozenset[str]:
    listed = _word_list().read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in (*listed, *ABBREVIATIONS) if w)


def _word_list() -> Path:
    return Path(pythainlp.__file__).parent / "corpus" / "words_th.txt"


@cache
def _dictionary() -> str:
    """nlpo3's dictionary: PyThaiNLP's words and the abbreviations, loaded once."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as file:
        file.write("\n".join(sorted(_vocabulary())))
        file.flush()
        nlpo3.load_dict(file.name, DICTIONARY)
    return DICTIONARY
