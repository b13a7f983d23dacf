"""Normalised project titles: the key under which two plans' projects count as the same project.

Two titles are the same after normalisation when they differ only in spacing, Thai or Arabic
digits, a leading "โครงการ" (project) or punctuation.

>>> normalise_title("โครงการ ก่อสร้างถนน คสล. หมู่ ๓")
'ก่อสร้างถนนคสลหมู่3'
>>> normalise_title("ก่อสร้างถนน  คสล หมู่ 3") == normalise_title("โครงการก่อสร้างถนน คสล. หมู่ ๓")
True
"""

import unicodedata

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_PROJECT_WORD = "โครงการ"


class _Dropped(dict[int, int | None]):
    """A ``str.translate`` table that drops spacing and punctuation and keeps letters, marks
    (Thai vowels and tones are marks) and digits; filled in as characters are first seen."""

    def __missing__(self, code: int) -> int | None:
        kept = unicodedata.category(chr(code))[0] in "LMN"
        self[code] = code if kept else None
        return self[code]


_DROPPED = _Dropped()


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFC", title).translate(_THAI_DIGITS).strip()
    if text.startswith(_PROJECT_WORD):
        text = text[len(_PROJECT_WORD) :]
    return text.casefold().translate(_DROPPED)
