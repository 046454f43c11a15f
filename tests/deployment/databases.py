"""PostgreSQL databases of the deployment tests' own, on the server of this test run."""

from __future__ import annotations

from django.db import connection


def conninfo(dbname: str) -> str:
    """libpq connection string to `dbname` on the test run's server."""
    settings = connection.settings_dict
    parts = (
        ("dbname", dbname),
        ("host", settings.get("HOST")),
        ("port", settings.get("PORT")),
        ("user", settings.get("USER")),
        ("password", settings.get("PASSWORD")),
    )
    return " ".join(f"{key}={value}" for key, value in parts if value)


def recreate_database(name: str, create: bool = True) -> None:
    """Drop `name` (closing its connections) and, unless told not to, create it empty."""
    import psycopg

    with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            server.execute(f'CREATE DATABASE "{name}"')


def database_url(name: str) -> str:
    """OKRFLOW_DATABASE_URL of database `name` on the test run's server."""
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"
