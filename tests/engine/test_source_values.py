"""Reading one number out of JSON, CSV and query rows: pure functions, every failure named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.source_values import (
    SourceProblem,
    number_from_csv,
    number_from_json,
    number_from_rows,
    number_from_text,
    split_json_path,
)


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("$.data.total", ["data", "total"]),
        ("data.items[0].value", ["data", "items", 0, "value"]),
        ("$['odd key'].x", ["odd key", "x"]),
        ("items[-1]", ["items", -1]),
        ("$", []),
    ],
)
def test_json_paths_split_into_keys_and_indexes(path: str, parts: list[object]) -> None:
    assert split_json_path(path) == parts


def test_numbers_are_read_at_their_path() -> None:
    body = b'{"data": {"items": [{"v": 1.5}, {"v": "2,5"}]}, "n": 7}'
    assert number_from_json(body, "$.data.items[0].v") == Decimal("1.5")
    assert number_from_json(body, "data.items[-1].v") == Decimal("2.5")
    assert number_from_json(b"42", "") == Decimal(42)


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        (b"{", "", "bad_json"),
        (b"\xff", "", "bad_json"),
        (b'{"a": 1}', "b", "no_value"),
        (b'{"a": [1]}', "a[3]", "no_value"),
        (b'{"a": {"b": 1}}', "a", "not_a_number"),
        (b'{"a": true}', "a", "not_a_number"),
        (b'{"a": null}', "a", "not_a_number"),
        (b'{"a": "NaN"}', "a", "not_a_number"),
        (b"[" * 5000 + b"]" * 5000, "", "bad_json"),
    ],
)
def test_json_failures_are_named(body: bytes, path: str, code: str) -> None:
    with pytest.raises(SourceProblem) as caught:
        number_from_json(body, path)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1,250", "1250"),
        ("1,5", "1.5"),
        ("12%", "12"),
        (" 1 234 ", "1234"),
        ("-3", "-3"),
        ("2e3", "2000"),
    ],
)
def test_text_numbers_in_either_writing(text: str, number: str) -> None:
    assert number_from_text(text) == Decimal(number)


def test_csv_cells_by_header_or_number_and_row_or_last() -> None:
    body = "Tuần;Số khách\n1;10\n2;12,5\n".encode()
    assert number_from_csv(body, "last", "số khách") == Decimal("12.5")
    assert number_from_csv(body, "1", "2") == Decimal(10)
    with pytest.raises(SourceProblem):
        number_from_csv(b"a\n", "last", "a")  # a header and no row


def test_query_rows_must_be_exactly_one() -> None:
    assert number_from_rows([(Decimal("3.5"),)]) == Decimal("3.5")
    for rows in ([], [(1,), (2,)]):
        with pytest.raises(SourceProblem) as caught:
            number_from_rows(rows)
        assert caught.value.code == "not_one_row"


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, max_value=10**12, min_value=-(10**12)
    )
)
def test_any_plain_decimal_reads_back(number: Decimal) -> None:
    assert number_from_text(format(number, "f")) == number
