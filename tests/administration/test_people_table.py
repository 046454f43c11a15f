"""The Django-free reading of a people file's columns and values, and the loop finder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.org.people_table import (
    Roles,
    cell_text,
    column_for,
    manager_loops,
    parse_active,
    parse_language,
    parse_roles,
    unit_path_parts,
)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Email", "email"),
        ("E-mail", "email"),
        ("Họ và tên", "full_name"),
        ("họ  tên", "full_name"),
        ("Full name", "full_name"),
        ("ĐƠN VỊ", "unit"),
        ("Email quản lý", "manager_email"),
        ("manager_email", "manager_email"),
        ("Vai trò", "role"),
        ("Ngôn ngữ", "language"),
        ("Đang làm việc", "active"),
        ("hoạt động", "active"),
        ("Ghi chú", None),
    ],
)
def test_headers_in_either_language(header: str, column: str | None) -> None:
    assert column_for(header) == column


def test_roles() -> None:
    assert parse_roles("") == Roles()
    assert parse_roles("Thành viên") == Roles()
    assert parse_roles("trưởng") == Roles(lead=True)
    assert parse_roles("lead + quản trị") == Roles(lead=True, admin=True)
    assert parse_roles("ADMIN") == Roles(admin=True)
    assert parse_roles("boss") is None
    assert Roles(lead=True, admin=True).label() == "lead+admin"


def test_languages_and_yes_no() -> None:
    assert [parse_language(text) for text in ("vi", "EN", "Tiếng Việt", "fr")] == [
        "vi",
        "en",
        "vi",
        None,
    ]
    assert [parse_active(text) for text in ("", "Có", "1", "true", "không", "0", "No")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert parse_active("maybe") is None


def test_unit_paths_and_cells() -> None:
    assert unit_path_parts(" Công ty /  Phòng   Marketing ") == ["Công ty", "Phòng Marketing"]
    assert unit_path_parts("A//B") is None
    assert unit_path_parts("/A") is None
    assert cell_text(12.0) == "12" and cell_text(True) == "true" and cell_text(None) == ""
    assert cell_text("'=SUM(A1)") == "=SUM(A1)"  # okrflow's own export guard is dropped
    assert cell_text("'plain") == "'plain"
    assert cell_text(" a\x00b ") == "ab"


def test_loops_are_found_once_each() -> None:
    chain = {"a": "b", "b": "c", "c": "a", "d": "a", "e": "e", "f": None}
    loops = manager_loops(chain, ["d", "a", "b", "e", "f"])
    assert sorted(sorted(loop) for loop in loops) == [["a", "b", "c"], ["e"]]


@given(st.dictionaries(st.integers(0, 12), st.none() | st.integers(0, 12), max_size=13))
def test_a_loop_is_reported_exactly_when_a_chain_comes_back(manager_of: dict) -> None:  # type: ignore[type-arg]
    """Each found loop is a real cycle; a person is on a found loop iff walking up from them
    (far enough) returns to them."""
    loops = manager_loops(manager_of, list(manager_of))
    on_loops = [node for loop in loops for node in loop]
    assert len(on_loops) == len(set(on_loops))
    for loop in loops:
        for index, node in enumerate(loop):
            assert manager_of.get(node) == loop[(index + 1) % len(loop)]
    for start in manager_of:
        node, returns = manager_of.get(start), False
        for _step in range(len(manager_of) + 1):
            if node is None:
                break
            if node == start:
                returns = True
                break
            node = manager_of.get(node)
        assert returns == (start in on_loops)
