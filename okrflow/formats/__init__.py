"""Dates and numbers as each language writes them: the one path every page formats through.

Django's own formats are the fallback for what is not set here. English keeps day before month
("5 Dec 2026, 04:36"), never the US "12/05/2026 4:36 a.m." that reads as a different day to
most readers; Vietnamese writes "05/12/2026 04:36" and the decimal comma.

Templates name a format, never spell one (tests/front/test_date_formats.py greps for it):
Django's (`SHORT_DATE_FORMAT`, `SHORT_DATETIME_FORMAT`, `MONTH_DAY_FORMAT`, `TIME_FORMAT`) and our
own, which the `date` filter finds in these modules by name: `DAY_TIME_FORMAT` ("5 Dec, 04:36",
"05/12 04:36"), `WEEKDAY_TIME_FORMAT`, `WEEKDAY_FORMAT` and `LOG_DATETIME_FORMAT` (with seconds).
Only machine formats (ISO "c" in `datetime` attributes, feeds, exports) stay literal.
"""
