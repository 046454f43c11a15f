"""An SQL source on a real PostgreSQL database: a small one made for the test, never the test
database itself, read by a role that may read one table only."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from django.db import connection

from okrflow.datasources.actions import save_data_source
from okrflow.datasources.running import refresh_source
from okrflow.okrs.models import KeyResult, KeyResultValue

pytestmark = pytest.mark.django_db

ADMIN_URL = os.environ.get(
    "OKRFLOW_SOURCE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def server_url() -> str:
    """The server to make the source database on: the test database's own on PostgreSQL runs."""
    if connection.vendor == "postgresql":
        own = connection.settings_dict
        password = f":{own['PASSWORD']}" if own.get("PASSWORD") else ""
        return (
            f"postgresql://{own['USER']}{password}@{own.get('HOST') or '127.0.0.1'}"
            f":{own.get('PORT') or 5432}/postgres"
        )
    return ADMIN_URL


@pytest.fixture
def source_database() -> Iterator[dict[str, str]]:
    """A fresh database with a table of sales, and a reader role allowed on that table only."""
    try:
        admin = psycopg.connect(server_url(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if connection.vendor == "postgresql":
            raise
        # Like the suite's other PostgreSQL tests: a SQLite run without a server skips them.
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({error})")
    name = f"okrflow_source_{uuid.uuid4().hex[:10]}"
    role = f"{name}_reader"
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'reader-pw'")
    try:
        base = server_url().rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/{name}", autocommit=True) as db:
            db.execute("CREATE TABLE sales (month text, amount numeric)")
            db.execute("INSERT INTO sales VALUES ('apr', 100.5), ('may', 220)")
            db.execute("CREATE TABLE salaries (who text, amount numeric)")
            db.execute("INSERT INTO salaries VALUES ('ceo', 1)")
            db.execute(f'GRANT SELECT ON sales TO "{role}"')
        host_port = base.split("@", 1)[1]
        yield {"url": f"postgres://{role}:reader-pw@{host_port}/{name}", "name": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


def run(kr: KeyResult, **fields: Any) -> Any:
    source = save_data_source(None, kr, kind="sql", schedule="daily", **fields).source
    return refresh_source(source.pk)


def test_a_postgresql_query_feeds_the_key_result(
    kr: KeyResult, source_database: dict[str, str]
) -> None:
    result = run(kr, database_url=source_database["url"], query="SELECT sum(amount) FROM sales")
    assert result.ok and result.value == Decimal("320.5")
    [entry] = KeyResultValue.objects.filter(key_result=kr)
    assert entry.value == Decimal("320.5") and entry.source == "data_source"


def test_postgresql_failures(kr: KeyResult, source_database: dict[str, str]) -> None:
    url = source_database["url"]
    assert run(kr, database_url=url, query="SELECT amount FROM salaries").error_code == (
        "permission_denied"
    )
    # The connection is read-only even where the role could write.
    assert run(kr, database_url=url, query="DELETE FROM sales").error_code in (
        "permission_denied",
        "query_error",
    )
    assert run(kr, database_url=url, query="SELECT amount FROM sales").error_code == ("not_one_row")
    assert run(kr, database_url=url, query="SELECT month FROM sales LIMIT 1").error_code == (
        "not_a_number"
    )
    assert run(kr, database_url=url, query="SELEC nonsense").error_code == "query_error"
    missing = url.rsplit("/", 1)[0] + "/no_such_database_here"
    assert run(kr, database_url=missing, query="SELECT 1").error_code in (
        "connection",
        "permission_denied",
    )
    assert not KeyResultValue.objects.filter(key_result=kr).exists()
