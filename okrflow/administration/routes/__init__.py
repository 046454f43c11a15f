"""One module per administration section: its URL patterns and its tab (see sections.py)."""
