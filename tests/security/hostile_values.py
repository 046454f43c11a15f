"""The hostile values every form field and query parameter is fed (at least 200 of them).

A value is text, raw bytes (sent as-is: invalid UTF-8 included), or a list (the same field sent
several times: a wrong type for a single-valued field).
"""

from __future__ import annotations

HostileValue = str | bytes | list[str]

CONTROL_CHARACTERS: list[HostileValue] = [chr(code) for code in range(0x00, 0x20)] + [
    "\x7f",
    "a\x00b",
    "Title\x00",
    "\x00" * 50,
    "line\r\nSet-Cookie: hacked=1",
    "\x1b[31mred\x1b[0m",
    "\u0085next line",
    "\u2028\u2029",
]

LONG_AND_EMPTY: list[HostileValue] = [
    "",
    " ",
    "   \t  ",
    "\n\n\n",
    "a" * 301,
    "a" * 1001,
    "đ" * 5000,
    "x" * 70_000,
    "9" * 5000,
    "<" * 2000,
    "😀" * 1000,
]

UNICODE_TRICKS: list[HostileValue] = [
    "\u202etxet.exe",  # right-to-left override
    "\u200f\u200eRTL marks",
    "\u200b",
    "\ufeffBOM",
    "\ufffd",
    "e\u0301\u0301\u0301\u0301",
    "Z̸̡̢̛͎͓̈́͌a̴̢̛l̶g̷o̵",
    "𝕿𝖎𝖙𝖑𝖊",
    "Ａ",
    "İı",
    "ß",
    "\U0010ffff",
    "🏳️‍🌈",
    "👨‍👩‍👧‍👦" * 10,
    "ﷺ",
    "ǅ",
    "Đào tạo đội ngũ",
    "日本語のテキスト",
    "مرحبا",
]

INVALID_UTF8: list[HostileValue] = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xa0\xa1",
    b"\xe2\x28\xa1",
    b"\xf0\x28\x8c\xbc",
    b"\xed\xa0\x80",  # an encoded surrogate
    b"abc\x80def",
    b"\xc0\xaf",
    b"\xf8\x88\x80\x80\x80",
]

MARKUP_AND_SCRIPT: list[HostileValue] = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "<!--",
    "]]>",
    "&amp;&lt;&#0;",
    "<a href='//evil.example'>x</a>",
    "</textarea><b>x</b>",
    "hx-get=/sign-out/",
    "<iframe src=//evil.example>",
    "%3Cscript%3E",
]

SQL_LIKE: list[HostileValue] = [
    "' OR '1'='1",
    "1; DROP TABLE okrs_objective;--",
    '" OR 1=1 --',
    "1' UNION SELECT password FROM auth_user--",
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "'",
    '"',
    "`",
    ";",
    "--",
    "/*",
    "1)",
    "' AND SLEEP(5)--",
    "$1",
]

NUMBERS: list[HostileValue] = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "1e-400",
    "-0",
    "0",
    "-0.0",
    "1" + "0" * 30,
    "-1" + "0" * 30,
    "9" * 20,
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "0.00001",
    "0,00001",
    "0.004",
    "99999",
    "10000",
    "1.2.3",
    "1,2,3",
    "1.000.000,5",
    "1,000,000.5",
    "١٢٣",
    "²",
    "³",
    "½",
    "１２３",
    "߁",
    "-1",
    "-2147483649",
    "2147483648",
    "0x1F",
    "1_000",
    "+5",
    "  5  ",
    "5%",
    "50 %",
    "1e5",
    "3.14159265358979323846264338327950288",
    "True",
    "False",
    "None",
    "null",
    "undefined",
]

DATES: list[HostileValue] = [
    "31/02/2026",
    "2026-02-31",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "0001-01-01",
    "29/02/2027",
    "2026-05-11T25:61",
    "31/12/99999",
    "yesterday",
    "2026-05-11; DROP",
    "11/5",
    "1970-01-01",
    "-2026-05-11",
]

FORMULAS: list[HostileValue] = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|'/c calc'!A1",
]

WRONG_TYPES: list[HostileValue] = [
    ["1", "2"],
    ["", ""],
    ["<b>", "\x00"],
    [str(n) for n in range(30)],
    "{}",
    "[]",
    '{"a": [1, {"b": null}]}',
    "[" * 200,
    "true",
    "on",
    "off",
    "person:",
    "person:²",
    "person:99999999999999999999",
    "unit:-1",
    "project:0",
    ":",
    "kind:1:2",
    "../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "%(title)s %s {0} {title}",
    "%n%n%n",
]

HOSTILE_VALUES: list[HostileValue] = (
    CONTROL_CHARACTERS
    + LONG_AND_EMPTY
    + UNICODE_TRICKS
    + INVALID_UTF8
    + MARKUP_AND_SCRIPT
    + SQL_LIKE
    + NUMBERS
    + DATES
    + FORMULAS
    + WRONG_TYPES
)

# Ids an `<int:…>` URL part accepts that no row has: zero, and beyond 32 and 64 bits.
HOSTILE_URL_IDS = ["0", "2147483648", "9223372036854775808", "1" + "0" * 30]
