"""English dates and numbers (see okrflow/formats/__init__.py)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
# Named formats of our own (Django's date filter finds them here by name).
DAY_TIME_FORMAT = "j M, H:i"
WEEKDAY_TIME_FORMAT = "D H:i"
WEEKDAY_FORMAT = "l"
LOG_DATETIME_FORMAT = "j M Y, H:i:s"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
