"""Fold Vietnamese text for searching and sorting: no tone marks, no hats, đ as d, lower case.

A Vietnamese user often types without diacritics ("dao tao" for "đào tạo"), and "Đ" is not a
letter D to a plain byte comparison, so names starting with it sort after Z. Folding both sides
makes search accent-insensitive and sorting follow the alphabet a reader expects.
"""

from __future__ import annotations

import unicodedata

# Every precomposed letter of Vietnamese, both cases: the database folds these with one
# `translate()` (PostgreSQL) where Python has unicodedata.
VIETNAMESE_LETTERS = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)


def fold(text: str) -> str:
    """Return text without diacritics, with đ/Đ as d, in lower case ("Đào Tạo" → "dao tao")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).lower()


def folded_letters() -> tuple[str, str]:
    """Return (letters, their folds) for a character-by-character translation table."""
    return VIETNAMESE_LETTERS, "".join(fold(letter) for letter in VIETNAMESE_LETTERS)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Fold text and say, for each folded character, where it came from in the NFC text.

    Lets a match found in the folded text be highlighted in the original one.
    """
    composed = unicodedata.normalize("NFC", text)
    folded: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(composed):
        for piece in fold(char):
            folded.append(piece)
            origins.append(index)
    return "".join(folded), origins


# Characters no stored text keeps: NUL (PostgreSQL refuses it in text: a server error there, while
# SQLite stored it), the other C0 controls but tab, line feed and carriage return (XLSX cannot
# hold them), DEL, and lone UTF-16 surrogates (not encodable as UTF-8, so no database takes them).
_UNSTORABLE = "".join(
    chr(code)
    for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0xD800, 0xE000)]
)
_DROP_UNSTORABLE = str.maketrans("", "", _UNSTORABLE)


def clean_text(text: str) -> str:
    """Return text without the characters no database or export may hold; \\t \\n \\r are kept."""
    if text.isprintable():  # the usual case: no control character at all, nothing to copy
        return text
    return text.translate(_DROP_UNSTORABLE)
