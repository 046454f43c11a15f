"""One module per part of the settings page: its URL patterns and its panel (see panels.py)."""
