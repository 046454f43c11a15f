"""Parse, find and format numbers and money the way Vietnamese and English writers do.

Separator rule ("10.000" means different things in each language):

* Vietnamese groups thousands with "." and writes decimals with ",": "10.000" is 10000,
  "1,5" is 1.5, "1.234,5" is 1234.5. A "." is a thousands separator only when every group
  after it has exactly three digits and the first group has no leading zero; otherwise a
  single "." is read leniently as a decimal point ("1.5", "0.500"), because people paste
  English-style numbers into Vietnamese text.
* English is the mirror image: "," followed by groups of exactly three digits is grouping
  ("10,000"), "." is the decimal point ("1.5"), a lone "," that is not grouping is a decimal
  comma ("1,5").
* The language's own decimal mark wins when it appears once: English "10.000" is 10.0 and
  Vietnamese "10,000" is 10.0. When it appears several times it can only be grouping
  ("1.000.000" in English, "1,000,000" in Vietnamese). When both marks appear, the last one
  is the decimal mark ("1,234.5" and "1.234,5" are 1234.5 in either language).

Scale words multiply: vi "nghìn"/"ngàn"/"k", "triệu"/"tr", "tỷ"/"tỉ"; en "k", "thousand",
"m"/"mn"/"million", "b"/"bn"/"billion". Both languages accept all of them. In running text
(`find_numbers`) a one- or two-letter scale must be glued to the digits ("5k", "1.5M") so a
stray word after a space is never read as a multiplier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

LANGUAGES = ("vi", "en")
DECIMAL_MARK = {"vi": ",", "en": "."}
GROUP_MARK = {"vi": ".", "en": ","}

WORD_SCALES = {
    "nghìn": 3,
    "ngàn": 3,
    "thousand": 3,
    "triệu": 6,
    "million": 6,
    "tỷ": 9,
    "tỉ": 9,
    "billion": 9,
}
LETTER_SCALES = {"k": 3, "tr": 6, "m": 6, "mn": 6, "b": 9, "bn": 9}
SCALES = {**WORD_SCALES, **LETTER_SCALES}

CURRENCY_ALIASES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "vnd": "VND",
    "vnđ": "VND",
    "đ": "VND",
    "đồng": "VND",
    "₫": "VND",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
}

_WORD_SCALE_RE = "nghìn|ngàn|triệu|tỷ|tỉ|thousand|million|billion"
_LETTER_SCALE_RE = "k|tr|mn|m|bn|b"
_PREFIX_RE = r"us\$|\$|usd|vnd|vnđ|€|eur"
_SUFFIX_RE = r"đồng|đ|₫|vnđ|vnd|usd|\$|dollars?|€|euros?|eur"
_BODY = re.compile(r"\d+(?:[.,]\d+)*")

_AMOUNT = re.compile(
    rf"(?P<sign>[-−+])?\s*(?:(?P<prefix>{_PREFIX_RE})\s*)?(?P<sign2>[-−])?"
    rf"(?P<body>\d[\d.,]*)"
    rf"(?:\s*(?P<scale>{_WORD_SCALE_RE}|{_LETTER_SCALE_RE}))?"
    rf"(?:\s*(?P<suffix>{_SUFFIX_RE}))?",
    re.IGNORECASE,
)

# Letters that may be glued to a number as a unit ("24h", "30min", "200ms", "3x", "1.5s",
# "5kg"); the parser turns them into units, everything else glued to digits ("1st", "5G") is no
# number.
_GLUED_UNIT_RE = "hrs|hr|h|mins|min|ms|kg|km|p|x|d|s"
_NOT_LETTER = r"(?![^\W\d_])"
_FIND = re.compile(
    rf"(?:(?P<prefix>{_PREFIX_RE})\s?)?(?P<sign>[-−])?(?P<body>\d+(?:[.,]\d+)*)"
    rf"(?:(?P<gscale>{_LETTER_SCALE_RE}){_NOT_LETTER}|\s?(?P<wscale>{_WORD_SCALE_RE}){_NOT_LETTER})?"
    rf"(?P<pct>\s?%)?"
    rf"(?:\s?(?P<suffix>{_SUFFIX_RE}){_NOT_LETTER})?"
    rf"(?:(?P<glued>{_GLUED_UNIT_RE}){_NOT_LETTER})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberSpan:
    """One number found in running text, with its scale, currency and percent sign applied."""

    start: int
    end: int
    value: Decimal
    raw: str
    currency: str | None = None
    percent: bool = False
    glued_unit: str | None = None


def check_language(lang: str) -> str:
    """Return the language code or raise if it is not supported."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    return lang


def is_grouped(body: str, mark: str) -> bool:
    """Tell whether `mark` splits `body` into valid thousands groups."""
    parts = body.split(mark)
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        return False
    head = parts[0]
    head_ok = 1 <= len(head) <= 3 and not head.startswith("0")
    return head_ok and all(len(part) == 3 for part in parts[1:])


def read_marks(body: str, lang: str) -> tuple[str | None, str | None]:
    """Return the (grouping mark, decimal mark) a digit string uses, per the module rule."""
    marks = [char for char in body if char in ".,"]
    if not marks:
        return None, None
    if len(set(marks)) == 2:
        decimal = marks[-1]
        if marks.count(decimal) != 1:
            raise ValueError(f"decimal mark {decimal!r} appears more than once in {body!r}")
        return ("," if decimal == "." else "."), decimal
    mark = marks[0]
    if mark == DECIMAL_MARK[lang]:
        return (mark, None) if len(marks) > 1 else (None, mark)
    if is_grouped(body, mark):
        return mark, None
    if len(marks) == 1:
        return None, mark
    raise ValueError(f"bad digit grouping in {body!r}")


def parse_body(body: str, lang: str) -> Decimal:
    """Turn a digit string with locale separators into a Decimal."""
    if not _BODY.fullmatch(body):
        raise ValueError(f"not a number: {body!r}")
    group, decimal = read_marks(body, lang)
    integer, fraction = body.split(decimal) if decimal else (body, "")
    if group:
        if not is_grouped(integer, group):
            raise ValueError(f"bad digit grouping in {body!r}")
        integer = integer.replace(group, "")
    return Decimal(f"{integer}.{fraction}" if fraction else integer)


def apply_scale(value: Decimal, scale: str | None) -> Decimal:
    """Multiply by a scale word such as "triệu" or "k" without losing precision."""
    if not scale:
        return value
    exponent = SCALES[scale.lower()]
    # scaleb only moves the exponent; a roomy context keeps long inputs exact.
    with localcontext() as ctx:
        ctx.prec = max(28, len(value.as_tuple().digits) + exponent + 2)
        scaled = value.scaleb(exponent)
        # Show 1.5 million as 1500000, not 1.5E+6.
        return scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled


def normalise_currency(name: str) -> str:
    """Map a currency symbol or word ("đ", "$", "usd") to its ISO code."""
    key = name.strip().lower()
    return CURRENCY_ALIASES.get(key, key.upper())


def parse_number(text: str, lang: str) -> Decimal:
    """Parse a number written in `lang`, with optional sign, scale word and currency."""
    check_language(lang)
    cleaned = text.strip()
    if cleaned.lower().lstrip("+-−") in {"nan", "inf", "infinity", "snan"}:
        raise ValueError(f"not a finite number: {text!r}")
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise ValueError(f"cannot read a number from {text!r}")
    if match["sign"] and match["sign2"]:
        raise ValueError(f"two signs in {text!r}")
    value = apply_scale(parse_body(match["body"], lang), match["scale"])
    negative = (match["sign"] or match["sign2"] or "") in {"-", "−"}
    return -value if negative else value


def has_glued_left(text: str, start: int) -> bool:
    """Tell whether the number starting at `start` is glued to a word on its left."""
    if start == 0:
        return False
    before = text[start - 1]
    if before.isalnum() or before == "_":
        return True
    # "tier-1", "covid-19", "v.2" are labels, not amounts.
    return before in "-_." and start >= 2 and text[start - 2].isalpha()


def has_glued_right(text: str, end: int) -> bool:
    """Tell whether the number ending at `end` runs straight into a letter or digit."""
    return end < len(text) and (text[end].isalnum() or text[end] == "_")


def signed_start(text: str, match: re.Match[str]) -> tuple[int, bool]:
    """Return where a found number starts and whether its minus sign is real."""
    if not match["sign"]:
        return match.start(), False
    before = text[: match.start("sign")].rstrip()
    # In "10 -15" or "1-5" the dash joins a range; it is not a minus sign.
    if before and before[-1].isdigit():
        return match.start("body"), False
    return match.start(), True


def build_span(text: str, match: re.Match[str], lang: str) -> NumberSpan | None:
    """Turn one regex match into a NumberSpan, or None when it is not an amount."""
    start, negative = signed_start(text, match)
    if match["prefix"]:
        start = match.start()
    if has_glued_left(text, start) or has_glued_right(text, match.end()):
        return None
    try:
        value = parse_body(match["body"], lang)
    except ValueError:
        return None
    value = apply_scale(value, match["gscale"] or match["wscale"])
    currency_word = match["prefix"] or match["suffix"]
    return NumberSpan(
        start=start,
        end=match.end(),
        value=-value if negative else value,
        raw=text[start : match.end()],
        currency=normalise_currency(currency_word) if currency_word else None,
        percent=bool(match["pct"]),
        glued_unit=match["glued"].lower() if match["glued"] else None,
    )


def find_numbers(text: str, lang: str) -> list[NumberSpan]:
    """Find every amount in running text, left to right, skipping labels like "Q3" or "B2B"."""
    check_language(lang)
    spans = []
    for match in _FIND.finditer(text):
        span = build_span(text, match, lang)
        if span is not None:
            spans.append(span)
    return spans


def round_decimal(value: Decimal, max_decimals: int) -> Decimal:
    """Round half-up to at most `max_decimals` places, keeping every integer digit."""
    if not value.is_finite():
        raise ValueError(f"cannot format a non-finite number: {value}")
    if max_decimals < 0:
        raise ValueError("max_decimals must be zero or more")
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + max_decimals + 3)
        return value.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)


def group_digits(integer: str, mark: str) -> str:
    """Insert a thousands mark every three digits from the right."""
    head = len(integer) % 3 or 3
    groups = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return mark.join(groups)


def format_number(value: Decimal, lang: str, max_decimals: int = 2) -> str:
    """Format a number in `lang` with grouping and no trailing zeros ("10.000", "1,5")."""
    check_language(lang)
    rounded = round_decimal(Decimal(value), max_decimals)
    integer, _, fraction = format(abs(rounded), "f").partition(".")
    fraction = fraction.rstrip("0")
    sign = "-" if rounded < 0 and (integer.strip("0") or fraction) else ""
    text = group_digits(integer, GROUP_MARK[lang])
    return f"{sign}{text}{DECIMAL_MARK[lang]}{fraction}" if fraction else f"{sign}{text}"


def format_fixed(value: Decimal, lang: str, decimals: int) -> str:
    """Format with exactly `decimals` places and the language's mark ("0,70" / "0.70")."""
    check_language(lang)
    text = format(round_decimal(Decimal(value), decimals), f".{decimals}f")
    return text.replace(".", DECIMAL_MARK[lang])


def pick_money_scale(value: Decimal, steps: tuple[tuple[int, str], ...]) -> tuple[Decimal, str]:
    """Choose a scale word from one million up, e.g. (1.5, "tỷ"); (amount, "") below that."""
    amount = abs(value)
    if amount < MILLION:
        return amount, ""
    chosen = next(index for index, (exponent, _) in enumerate(steps) if amount >= 10**exponent)
    scaled = round_decimal(amount.scaleb(-steps[chosen][0]), 2)
    if scaled >= 1000 and chosen > 0:
        # 999,999,999 reads "1 tỷ" rather than "1.000 triệu".
        chosen -= 1
        scaled = round_decimal(amount.scaleb(-steps[chosen][0]), 2)
    return scaled, steps[chosen][1]


MILLION = Decimal(1_000_000)
VI_MONEY_STEPS = ((9, "tỷ"), (6, "triệu"))
EN_MONEY_STEPS = ((9, "B"), (6, "M"))


def format_money_vi(value: Decimal, code: str) -> str:
    """Format money Vietnamese-style: "1,5 tỷ đồng", "250 triệu đồng", "500.000 đ"."""
    scaled, word = pick_money_scale(value, VI_MONEY_STEPS)
    sign = "-" if value < 0 else ""
    if word:
        unit = "đồng" if code == "VND" else code
        return f"{sign}{format_number(scaled, 'vi')} {word} {unit}"
    decimals = 0 if code == "VND" else 2
    unit = "đ" if code == "VND" else code
    return f"{sign}{format_number(scaled, 'vi', decimals)} {unit}"


def format_money_en(value: Decimal, code: str) -> str:
    """Format money English-style: "VND 1.5B", "$2,000", "$1.5M"."""
    scaled, word = pick_money_scale(value, EN_MONEY_STEPS)
    sign = "-" if value < 0 else ""
    decimals = 0 if code == "VND" and not word else 2
    amount = f"{format_number(scaled, 'en', decimals)}{word}"
    if code == "USD":
        return f"{sign}${amount}"
    return f"{code} {sign}{amount}"


def format_money(value: Decimal, currency: str, lang: str) -> str:
    """Format an amount of money in `lang`, using scale words from one million up."""
    check_language(lang)
    code = normalise_currency(currency)
    if not code:
        raise ValueError("currency must not be empty")
    if lang == "vi":
        return format_money_vi(Decimal(value), code)
    return format_money_en(Decimal(value), code)
