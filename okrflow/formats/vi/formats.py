"""Vietnamese dates and numbers (see okrflow/formats/__init__.py)."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "m/Y"
# Named formats of our own (Django's date filter finds them here by name).
DAY_TIME_FORMAT = "d/m H:i"
WEEKDAY_TIME_FORMAT = "D H:i"
WEEKDAY_FORMAT = "l"
LOG_DATETIME_FORMAT = "d/m/Y H:i:s"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
