"""Normalised titles: the same project however its title is spaced, numbered or punctuated."""

import pytest

from kgservice.derived.titles import normalise_title


@pytest.mark.parametrize(
    "title",
    [
        "โครงการก่อสร้างถนน คสล. หมู่ ๓",
        "ก่อสร้างถนน คสล.หมู่ 3",
        "  โครงการ ก่อสร้างถนน (คสล.) หมู่ 3 ",
        "ก่อสร้างถนน  คสล  หมู่ ๓",
    ],
)
def test_spacing_digits_prefix_and_punctuation_do_not_matter(title: str) -> None:
    assert normalise_title(title) == "ก่อสร้างถนนคสลหมู่3"


def test_different_numbers_stay_different() -> None:
    assert normalise_title("ถนน หมู่ ๓") != normalise_title("ถนน หมู่ ๘")


def test_the_word_project_inside_a_title_is_kept() -> None:
    assert normalise_title("ติดตามโครงการ") == "ติดตามโครงการ"
