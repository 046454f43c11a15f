"""Folding Vietnamese text for accent-insensitive search and alphabetical sorting."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.text import VIETNAMESE_LETTERS, fold, fold_with_positions, folded_letters


def test_fold_removes_tones_hats_and_the_stroke_of_d() -> None:
    assert fold("Đào tạo nhân viên") == "dao tao nhan vien"
    assert fold("Tăng trưởng DOANH THU quý IV") == "tang truong doanh thu quy iv"
    assert fold("Nguyễn Thị Ánh Tuyết") == "nguyen thi anh tuyet"


def test_decomposed_input_folds_like_composed() -> None:
    word = "Trưởng phòng"
    assert fold(unicodedata.normalize("NFD", word)) == fold(word) == "truong phong"


def test_every_vietnamese_letter_folds_to_one_plain_letter() -> None:
    letters, plain = folded_letters()
    assert len(letters) == len(plain) == len(set(letters)) == 134
    assert set(plain) <= set("aeiouyd")
    assert fold("Đ") == "d" and fold("Ư") == "u" and fold("ỵ") == "y"
    assert len(VIETNAMESE_LETTERS) == 134


def test_d_with_stroke_sorts_with_d_not_after_z() -> None:
    names = ["Đỗ Văn Hùng", "Bùi Thu", "Dương Lan", "Zin", "Ánh"]
    assert sorted(names, key=fold) == ["Ánh", "Bùi Thu", "Đỗ Văn Hùng", "Dương Lan", "Zin"]


def test_positions_map_a_folded_match_back_to_the_original() -> None:
    text = "Đội ngũ đào tạo"
    folded, origins = fold_with_positions(text)
    start = folded.index("dao")
    original = text[origins[start] : origins[start + 2] + 1]
    assert original == "đào"


@given(st.text())
def test_fold_is_idempotent_and_keeps_ascii_letters(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    if text.isascii():
        assert once == text.lower()


@given(st.text(alphabet=VIETNAMESE_LETTERS + "abc XYZ0123"))
def test_folding_vietnamese_keeps_the_length(text: str) -> None:
    folded, origins = fold_with_positions(text)
    assert len(folded) == len(text) == len(origins)
