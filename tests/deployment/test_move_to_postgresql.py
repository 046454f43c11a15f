"""The README's move from SQLite to PostgreSQL (dumpdata → migrate → loaddata) keeps every
object and the app reads the same OKRs. Runs where PostgreSQL is the test database."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.deployment.databases import database_url, recreate_database

ROOT = Path(__file__).resolve().parents[2]
# The README's dumpdata arguments.
DUMP = [
    "dumpdata",
    "--natural-foreign",
    "--natural-primary",
    "-e",
    "contenttypes",
    "-e",
    "auth.permission",
    "-e",
    "sessions",
    "-e",
    "axes",
]


def okrflow(env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "okrflow", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{arguments}\n{result.stderr}"
    return result.stdout


def objects_of(path: Path) -> list[str]:
    """The dumped objects, each as canonical JSON, in a fixed order.

    Django's JSON keeps times to the millisecond and writes a whole second as "…:44Z" when
    the database holds no fraction but as "…:44.000Z" when it holds a few microseconds: the
    same instant in the file, written one way or the other.
    """
    text = re.sub(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"', r'\1\2"', path.read_text())
    return sorted(json.dumps(item, sort_keys=True) for item in json.loads(text))


def test_the_demo_moves_from_sqlite_to_postgresql(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the move needs a PostgreSQL server: set OKRFLOW_DATABASE_URL")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OKRFLOW_", "DJANGO_"))}
    sqlite_env = {**base, "OKRFLOW_DATA_DIR": str(tmp_path / "embedded")}
    okrflow(sqlite_env, "migrate", "--no-input", "-v", "0")
    okrflow(sqlite_env, "demo")
    exported = tmp_path / "okrflow-data.json"
    okrflow(sqlite_env, *DUMP, "-o", str(exported))

    name = f"{connection.settings_dict['NAME']}_moved"
    recreate_database(name)
    try:
        pg_env = {**base, "OKRFLOW_DATABASE_URL": database_url(name)}
        pg_env["OKRFLOW_DATA_DIR"] = str(tmp_path / "scaled")
        okrflow(pg_env, "migrate", "--no-input", "-v", "0")
        okrflow(pg_env, "loaddata", str(exported))
        moved_back = tmp_path / "moved-back.json"
        okrflow(pg_env, *DUMP, "-o", str(moved_back))

        before, after = objects_of(exported), objects_of(moved_back)
        assert len(before) > 5000
        assert after == before
        okrs = ["okrs", "--json", "--as", "ceo"]
        assert json.loads(okrflow(pg_env, *okrs)) == json.loads(okrflow(sqlite_env, *okrs))
    finally:
        recreate_database(name, create=False)
