"""`okrflow backup` → a fresh database → `okrflow restore`: every table identical, on the
database this run uses (SQLite, or PostgreSQL in CI's second run)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from okrflow.backup.copies import postgresql_tool
from okrflow.org.actions import create_unit
from okrflow.org.models import OrgUnit
from tests.deployment.databases import conninfo, database_url, recreate_database

ROOT = Path(__file__).resolve().parents[2]
Checksums = dict[str, tuple[int, str]]


def checksum_rows(rows: list[tuple[Any, ...]]) -> tuple[int, str]:
    """Row count and a digest of the rows in a fixed order, whatever order the database gave."""
    lines = sorted(repr(row) for row in rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def sqlite_checksums(path: str) -> Checksums:
    db = sqlite3.connect(path)
    try:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {t: checksum_rows(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
    finally:
        db.close()


def postgresql_checksums(name: str) -> Checksums:
    import psycopg

    with psycopg.connect(conninfo(name)) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        sums = {t: checksum_rows(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
        # The id counters too: a restored database must not hand out ids already used.
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        sums["(sequences)"] = checksum_rows(sequences)
        return sums


def live_checksums() -> Checksums:
    """Every table of the test database, read through a connection of its own."""
    connection.close()
    name = str(connection.settings_dict["NAME"])
    return sqlite_checksums(name) if connection.vendor == "sqlite" else postgresql_checksums(name)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """An empty database of the same kind: its URL and a function giving its checksums."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite_checksums(str(path))
        return
    name = f"{connection.settings_dict['NAME']}_fresh"
    recreate_database(name)
    try:
        yield database_url(name), lambda: postgresql_checksums(name)
    finally:
        recreate_database(name, create=False)


def okrflow_command(
    database_url: str, tmp_path: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OKRFLOW_", "DJANGO_"))}
    env.update(OKRFLOW_DATABASE_URL=database_url, OKRFLOW_DATA_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "okrflow", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_table_identically(tmp_path: Path, fresh_database) -> None:  # type: ignore[no-untyped-def]
    fresh_url, fresh_checksums = fresh_database
    # The demo organisation: people, OKRs, six weeks of check-ins, 1:1s, a closed cycle with
    # grades and reflections, the audit trail; plus a failed sign-in (django-axes' table).
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    Client().post("/sign-in/", {"username": "ceo", "password": "wrong"})
    original = live_checksums()
    filled = [table for table, (rows, _) in original.items() if rows]
    assert len(filled) >= 25, filled
    assert original["axes_accessattempt"][0] == 1

    backup = tmp_path / "okrflow.backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert live_checksums() == original  # a backup changes nothing

    # Into a brand-new database, by another process, as an operator would.
    restored = okrflow_command(fresh_url, tmp_path, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    copy = fresh_checksums()
    assert sorted(copy) == sorted(original)
    different = [table for table in original if copy[table] != original[table]]
    assert different == []

    # Over a database that holds data: refused without --force, the data left as it was ...
    create_unit(None, name="Added after the backup")
    changed = live_checksums()
    with pytest.raises(CommandError, match=r"already holds data.*--force"):
        call_command("restore", str(backup))
    assert live_checksums() == changed
    # ... and with --force, the backup exactly.
    call_command("restore", str(backup), force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert live_checksums() == original
    assert not OrgUnit.objects.filter(name="Added after the backup").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, db: None) -> None:
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="is not an okrflow backup"):
        call_command("restore", str(not_a_backup), force=True)
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", str(tmp_path / "missing.backup"))


def test_the_sqlite_file_itself_is_neither_target_nor_source(db: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no database file")
    live = str(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="is the database itself"):
        call_command("backup", live)
    with pytest.raises(CommandError, match="is the database itself"):
        call_command("restore", live, force=True)


def test_restore_names_the_other_kind_of_backup(tmp_path: Path, db: None) -> None:
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = "is a PostgreSQL backup; this okrflow uses SQLite"
    else:
        other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
        expected = "is a SQLite backup; this okrflow uses PostgreSQL"
    with pytest.raises(CommandError, match=rf"{expected}.*dumpdata"):
        call_command("restore", str(other), force=True)


def test_a_missing_pg_dump_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match=r"pg_dump was not found.*postgresql-client"):
        postgresql_tool("pg_dump")


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_a_newer_okrflow_is_refused_before_anything_changes(tmp_path: Path) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    future = MigrationRecorder.Migration.objects.create(
        app="okrs", name="9999_from_a_newer_okrflow"
    )
    backup = tmp_path / "newer.backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    future.delete()
    create_unit(None, name="Made after the backup")
    before = live_checksums()
    with pytest.raises(CommandError, match=r"made by a newer okrflow.*okrs\.9999_from_a_newer"):
        call_command("restore", str(backup), force=True)
    assert live_checksums() == before
