"""Locale-aware number parsing, finding and formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.numbers import find_numbers, format_money, format_number, parse_number

PARSE_CASES = [
    ("10.000", "vi", "10000"),
    ("1,5", "vi", "1.5"),
    ("0,7", "vi", "0.7"),
    ("1.234,5", "vi", "1234.5"),
    ("1.234.567", "vi", "1234567"),
    ("1.5", "vi", "1.5"),
    ("0.500", "vi", "0.5"),
    ("10,000", "vi", "10"),
    ("1,000,000", "vi", "1000000"),
    ("1,234.5", "vi", "1234.5"),
    ("10 nghìn", "vi", "10000"),
    ("5 ngàn", "vi", "5000"),
    ("5k", "vi", "5000"),
    ("250 triệu", "vi", "250000000"),
    ("500tr", "vi", "500000000"),
    ("1,5 tỷ", "vi", "1500000000"),
    ("2 tỉ", "vi", "2000000000"),
    ("1,5 tỷ đồng", "vi", "1500000000"),
    ("500.000 đ", "vi", "500000"),
    ("500.000đ", "vi", "500000"),
    ("-3,5", "vi", "-3.5"),
    ("10,000", "en", "10000"),
    ("1.5", "en", "1.5"),
    ("1.5M", "en", "1500000"),
    ("5k", "en", "5000"),
    ("5K", "en", "5000"),
    ("$2k", "en", "2000"),
    ("$2,000", "en", "2000"),
    ("10.000", "en", "10"),
    ("1.000.000", "en", "1000000"),
    ("1,5", "en", "1.5"),
    ("1,234.56", "en", "1234.56"),
    ("1.234,5", "en", "1234.5"),
    ("3 thousand", "en", "3000"),
    ("2 million", "en", "2000000"),
    ("4m", "en", "4000000"),
    ("2b", "en", "2000000000"),
    ("2bn", "en", "2000000000"),
    ("1.2 billion", "en", "1200000000"),
    ("VND 1.5B", "en", "1500000000"),
    ("USD 50,000", "en", "50000"),
    ("2000$", "en", "2000"),
    ("-1,000", "en", "-1000"),
    ("+7", "en", "7"),
    ("  42  ", "en", "42"),
    ("0", "en", "0"),
]


@pytest.mark.parametrize(("text", "lang", "expected"), PARSE_CASES)
def test_parse_number(text: str, lang: str, expected: str) -> None:
    assert parse_number(text, lang) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "NaN", "nan", "Infinity", "-inf", "1..2", "1,2,3.4,5", "10.", ",5", "1e5", "--1"],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_parse_number_rejects_bad_input(text: str, lang: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text, lang)


def test_parse_number_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        parse_number("1", "fr")


def test_parse_number_error_message_is_clear() -> None:
    with pytest.raises(ValueError, match="cannot read a number"):
        parse_number("mười", "vi")


FORMAT_CASES = [
    ("10000", "vi", "10.000"),
    ("1.5", "vi", "1,5"),
    ("1.50", "vi", "1,5"),
    ("0.7", "vi", "0,7"),
    ("1234567.891", "vi", "1.234.567,89"),
    ("-1234.5", "vi", "-1.234,5"),
    ("10000", "en", "10,000"),
    ("1.5", "en", "1.5"),
    ("100.00", "en", "100"),
    ("999", "en", "999"),
    ("0.005", "en", "0.01"),
    ("-0.001", "en", "0"),
    ("1E+6", "en", "1,000,000"),
]


@pytest.mark.parametrize(("value", "lang", "expected"), FORMAT_CASES)
def test_format_number(value: str, lang: str, expected: str) -> None:
    assert format_number(Decimal(value), lang) == expected


def test_format_number_honours_max_decimals() -> None:
    assert format_number(Decimal("3.14159"), "en", max_decimals=4) == "3.1416"
    assert format_number(Decimal("2.5"), "vi", max_decimals=0) == "3"


def test_format_number_rejects_nan() -> None:
    with pytest.raises(ValueError):
        format_number(Decimal("NaN"), "en")


MONEY_CASES = [
    ("1500000000", "VND", "vi", "1,5 tỷ đồng"),
    ("250000000", "VND", "vi", "250 triệu đồng"),
    ("500000", "VND", "vi", "500.000 đ"),
    ("999999999", "VND", "vi", "1 tỷ đồng"),
    ("1000000", "đ", "vi", "1 triệu đồng"),
    ("-2000000", "VND", "vi", "-2 triệu đồng"),
    ("2000", "USD", "vi", "2.000 USD"),
    ("1500000", "USD", "vi", "1,5 triệu USD"),
    ("1500000000", "VND", "en", "VND 1.5B"),
    ("250000000", "VND", "en", "VND 250M"),
    ("500000", "VND", "en", "VND 500,000"),
    ("2000", "USD", "en", "$2,000"),
    ("2000", "$", "en", "$2,000"),
    ("1999.5", "USD", "en", "$1,999.5"),
    ("1500000", "USD", "en", "$1.5M"),
    ("-2000", "USD", "en", "-$2,000"),
    ("3000", "EUR", "en", "EUR 3,000"),
]


@pytest.mark.parametrize(("value", "currency", "lang", "expected"), MONEY_CASES)
def test_format_money(value: str, currency: str, lang: str, expected: str) -> None:
    assert format_money(Decimal(value), currency, lang) == expected


def test_find_numbers_reads_locale_scale_currency_and_percent() -> None:
    spans = find_numbers("Tăng 20% từ 1,5 tỷ đồng lên 10.000 khách", "vi")
    assert [(s.raw, s.value, s.currency, s.percent) for s in spans] == [
        ("20%", Decimal(20), None, True),
        ("1,5 tỷ đồng", Decimal(1500000000), "VND", False),
        ("10.000", Decimal(10000), None, False),
    ]


def test_find_numbers_gives_offsets_into_the_text() -> None:
    text = "Close $2k deals and 1.5M downloads"
    for span in find_numbers(text, "en"):
        assert text[span.start : span.end] == span.raw


def test_find_numbers_skips_labels_and_ordinals() -> None:
    text = "Q3 B2B covid-19 tier-1 1st 5G mp4"
    assert find_numbers(text, "en") == []


def test_find_numbers_keeps_glued_units() -> None:
    spans = find_numbers("24h, 30min, 3x, 1.5s", "en")
    assert [(s.value, s.glued_unit) for s in spans] == [
        (Decimal(24), "h"),
        (Decimal(30), "min"),
        (Decimal(3), "x"),
        (Decimal("1.5"), "s"),
    ]


def test_find_numbers_reads_negative_but_not_range_dash() -> None:
    assert [s.value for s in find_numbers("from -10 to 20", "en")] == [-10, 20]
    assert [s.value for s in find_numbers("10-15", "en")] == [10, 15]


amounts = st.decimals(
    min_value=Decimal("-1e15"),
    max_value=Decimal("1e15"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(value=amounts, lang=st.sampled_from(["vi", "en"]))
def test_format_then_parse_round_trips(value: Decimal, lang: str) -> None:
    assert parse_number(format_number(value, lang), lang) == value


@given(
    value=st.decimals(min_value=0, max_value=Decimal("1e12"), places=4, allow_nan=False),
    lang=st.sampled_from(["vi", "en"]),
)
def test_round_trip_with_more_decimals(value: Decimal, lang: str) -> None:
    assert parse_number(format_number(value, lang, max_decimals=4), lang) == value


@given(value=st.integers(min_value=0, max_value=999_999), lang=st.sampled_from(["vi", "en"]))
def test_small_money_round_trips(value: int, lang: str) -> None:
    assert parse_number(format_money(Decimal(value), "VND", lang), lang) == value


@given(millions=st.integers(min_value=1, max_value=999), lang=st.sampled_from(["vi", "en"]))
def test_money_in_millions_round_trips(millions: int, lang: str) -> None:
    value = Decimal(millions * 1_000_000)
    assert parse_number(format_money(value, "VND", lang), lang) == value


@given(text=st.text(max_size=30), lang=st.sampled_from(["vi", "en"]))
def test_parse_never_returns_nan(text: str, lang: str) -> None:
    try:
        value = parse_number(text, lang)
    except ValueError:
        return
    assert value.is_finite()


@given(
    text=st.text(alphabet="0123456789.,-+$kmbđ %tỷriệu ", max_size=20),
    lang=st.sampled_from(["vi", "en"]),
)
def test_parse_number_like_text_is_finite_or_rejected(text: str, lang: str) -> None:
    try:
        value = parse_number(text, lang)
    except ValueError:
        return
    assert value.is_finite()


@given(text=st.text(max_size=60), lang=st.sampled_from(["vi", "en"]))
def test_find_numbers_never_fails(text: str, lang: str) -> None:
    for span in find_numbers(text, lang):
        assert span.value.is_finite()
        assert 0 <= span.start < span.end <= len(text)
