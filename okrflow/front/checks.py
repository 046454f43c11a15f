"""Deployment checks of okrflow's own: the public demo secret key is never used to serve, and
SQLite is recent enough for the statements okrflow writes."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEMO_SECRET_MESSAGE = (
    "okrflow will not serve with the public demo secret key while debug is off: anyone could "
    "forge its sessions. Set OKRFLOW_SECRET_KEY to a long random value, e.g. the output of "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
    "(the same value on every server), or set OKRFLOW_DEBUG=1 for a local demo."
)


def serves_with_demo_secret() -> bool:
    """True when debug is off and the secret key is still the public demo key."""
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEMO_SECRET_KEY


def refuse_demo_secret() -> None:
    """Stop a server from starting with the demo key (called by okrflow.wsgi)."""
    if serves_with_demo_secret():
        raise ImproperlyConfigured(DEMO_SECRET_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def demo_secret_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """`okrflow check --deploy` names the missing OKRFLOW_SECRET_KEY as an error."""
    if serves_with_demo_secret():
        return [checks.Error(DEMO_SECRET_MESSAGE, id="okrflow.E001")]
    return []


# `INSERT … RETURNING` (a check-in's row, a bulk write's ids) came with SQLite 3.35.
SQLITE_NEEDED = (3, 35, 0)


def sqlite_version_errors(
    engines: list[str], version: tuple[int, ...]
) -> list[checks.CheckMessage]:
    """An error when a database is SQLite older than `SQLITE_NEEDED` (Django 5.2 accepts 3.31)."""
    if version >= SQLITE_NEEDED or not any(engine.endswith("sqlite3") for engine in engines):
        return []
    needed = ".".join(map(str, SQLITE_NEEDED))
    found = ".".join(map(str, version))
    return [
        checks.Error(
            f"okrflow needs SQLite {needed} or later (INSERT … RETURNING); this Python uses "
            f"SQLite {found}. Use a Python built with a newer SQLite, or PostgreSQL "
            "(OKRFLOW_DATABASE_URL).",
            id="okrflow.E002",
        )
    ]


@checks.register(checks.Tags.compatibility)
def sqlite_version_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    engines = [str(database["ENGINE"]) for database in settings.DATABASES.values()]
    return sqlite_version_errors(engines, sqlite3.sqlite_version_info)
