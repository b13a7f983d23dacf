"""Folding and word segmentation, as labels and searches both go through them."""

from kgservice.search.text import fold, parts, words


def test_thai_digits_case_spacing_and_abbreviation_dots_fold() -> None:
    assert fold("ถนน  คสล. หมู่ ๓\u200b ROAD") == "ถนน คสล หมู่ 3 road"


def test_a_word_is_not_found_inside_another() -> None:
    assert "นา" not in words("พัฒนา") + parts(words("พัฒนา"))
    assert words("บ้านนา") == ["บ้าน", "นา"]


def test_a_compound_word_is_found_by_its_words() -> None:
    found = words("ขุดลอกคลองส่งน้ำ")
    assert found == ["ขุด", "ลอก", "คลองส่งน้ำ"]
    assert "คลอง" in parts(found)


def test_short_accidental_pieces_are_not_words_of_a_compound() -> None:
    assert "นก" not in parts(words("คอนกรีต"))


def test_an_abbreviation_finds_its_meaning_and_back() -> None:
    assert "คอนกรีตเสริมเหล็ก" in parts(words("ถนน คสล."))
    assert "คสล" in parts(words("ถนนคอนกรีตเสริมเหล็ก"))
