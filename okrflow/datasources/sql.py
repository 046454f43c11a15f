"""Run a source's SQL query, read-only, against PostgreSQL, MySQL/MariaDB or a SQLite file.

Every connection is read-only from our side (a read-only transaction, or SQLite opened with
mode=ro) and capped in time; the database user should be read-only too (README).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.conf import settings

from okrflow.datasources.guard import (
    checked_addresses,
    checked_file,
    refuse_own_server_database,
    refuse_own_sqlite_file,
)
from okrflow.engine.source_values import (
    CONNECTION,
    PERMISSION_DENIED,
    QUERY_ERROR,
    REFUSED,
    TIMEOUT,
    SourceProblem,
    number_from_rows,
)

SCHEMES = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}


def database_kind(url: str) -> str:
    """Return postgresql, mysql or sqlite for a database URL; REFUSED for anything else."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in SCHEMES:
        raise SourceProblem(REFUSED, "use a postgres://, mysql:// or sqlite:/// URL")
    return SCHEMES[scheme]


def run_query(url: str, query: str) -> Decimal:
    """Run `query` on the database at `url` and return the number in its one row."""
    if not query.strip():
        raise SourceProblem(QUERY_ERROR, "no query")
    kind = database_kind(url)
    if kind == "sqlite":
        return number_from_rows(query_sqlite(sqlite_path(url), query))
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS[kind]
    except ValueError:
        raise SourceProblem(REFUSED, "not a valid database URL") from None
    host = parts.hostname or "localhost"
    name = unquote(parts.path.lstrip("/"))
    addresses = checked_addresses(host, port)
    refuse_own_server_database(host, port, name, addresses)
    login = {
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "name": name,
        "host": host,
        "address": addresses[0],
        "port": port,
        "options": {key: values[-1] for key, values in parse_qs(parts.query).items()},
    }
    if kind == "postgresql":
        return number_from_rows(query_postgresql(login, query))
    return number_from_rows(query_mysql(login, query))


def sqlite_path(url: str) -> str:
    path = url.split("://", 1)[1]
    if path.startswith("//"):
        path = path[1:]
    return unquote(path.split("?", 1)[0])


def query_sqlite(path_text: str, query: str) -> list[Any]:
    path = checked_file(path_text)
    refuse_own_sqlite_file(path)
    timeout = float(settings.DATA_SOURCE_TIMEOUT_SECONDS)
    deadline = time.monotonic() + timeout
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=timeout)
    except sqlite3.Error as error:
        raise SourceProblem(CONNECTION, str(error)) from None
    try:
        # Abort a query that runs past the time cap (checked every 10,000 steps).
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        connection.execute("PRAGMA query_only = ON")
        return connection.execute(query).fetchmany(2)
    except sqlite3.OperationalError as error:
        text = str(error)
        if "interrupted" in text:
            raise SourceProblem(TIMEOUT, f"after {timeout:g} s") from None
        if "readonly" in text or "not authorized" in text:
            raise SourceProblem(PERMISSION_DENIED, text) from None
        raise SourceProblem(QUERY_ERROR, text) from None
    except (sqlite3.Error, ValueError) as error:
        raise SourceProblem(QUERY_ERROR, str(error)) from None
    finally:
        connection.close()


def query_postgresql(login: dict[str, Any], query: str) -> list[Any]:
    import psycopg
    from psycopg import errors

    timeout = int(settings.DATA_SOURCE_TIMEOUT_SECONDS)
    options = login["options"]
    try:
        connection = psycopg.connect(
            host=login["host"],
            hostaddr=login["address"],
            port=login["port"],
            dbname=login["name"],
            user=login["user"] or None,
            password=login["password"] or None,
            sslmode=options.get("sslmode", "prefer"),
            connect_timeout=max(1, timeout),
            options=f"-c default_transaction_read_only=on -c statement_timeout={timeout * 1000}",
            autocommit=False,
        )
    except psycopg.OperationalError as error:
        text = str(error).strip()
        if "password" in text or "permission" in text or "authentication" in text:
            raise SourceProblem(PERMISSION_DENIED, first_line(text)) from None
        raise SourceProblem(CONNECTION, first_line(text)) from None
    try:
        with connection.cursor() as cursor:
            cursor.execute(query)  # type: ignore[arg-type]
            if cursor.description is None:
                raise SourceProblem(QUERY_ERROR, "the query returns no rows")
            return cursor.fetchmany(2)
    except errors.InsufficientPrivilege as error:
        raise SourceProblem(PERMISSION_DENIED, first_line(str(error))) from None
    except errors.ReadOnlySqlTransaction as error:
        raise SourceProblem(PERMISSION_DENIED, first_line(str(error))) from None
    except errors.QueryCanceled:
        raise SourceProblem(TIMEOUT, f"after {timeout} s") from None
    except psycopg.Error as error:
        raise SourceProblem(QUERY_ERROR, first_line(str(error))) from None
    finally:
        with contextlib.suppress(psycopg.Error):
            connection.rollback()
        connection.close()


def query_mysql(login: dict[str, Any], query: str) -> list[Any]:
    import pymysql

    timeout = int(settings.DATA_SOURCE_TIMEOUT_SECONDS)
    try:
        connection = pymysql.connect(
            host=login["address"],
            port=login["port"],
            user=login["user"],
            password=login["password"],
            database=login["name"] or None,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            autocommit=False,
        )
    except pymysql.err.OperationalError as error:
        code = error.args[0] if error.args else 0
        if code in (1044, 1045, 1142, 1227):
            raise SourceProblem(PERMISSION_DENIED, str(error.args[-1])) from None
        raise SourceProblem(CONNECTION, str(error.args[-1])) from None
    except pymysql.MySQLError as error:
        raise SourceProblem(CONNECTION, str(error)) from None
    try:
        with connection.cursor() as cursor:
            cursor.execute("START TRANSACTION READ ONLY")
            cursor.execute(query)
            return list(cursor.fetchmany(2))
    except pymysql.err.OperationalError as error:
        code = error.args[0] if error.args else 0
        if code in (1044, 1045, 1142, 1227):
            raise SourceProblem(PERMISSION_DENIED, str(error.args[-1])) from None
        if code in (2013, 3024):
            raise SourceProblem(TIMEOUT, f"after {timeout} s") from None
        raise SourceProblem(QUERY_ERROR, str(error.args[-1])) from None
    except pymysql.MySQLError as error:
        raise SourceProblem(QUERY_ERROR, str(error)) from None
    finally:
        try:
            connection.rollback()
            connection.close()
        except pymysql.MySQLError:
            pass


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
