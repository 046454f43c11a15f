"""The demo's two key results fed by sources that work offline: a CSV file shipped with the demo,
and an SQL query on a small SQLite file the demo makes; both in the sources folder."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings

from okrflow.cycles.models import Cycle
from okrflow.datasources.actions import save_data_source
from okrflow.datasources.running import refresh_source
from okrflow.okrs.models import KeyResult

SHIPPED_CSV = Path(__file__).resolve().parents[1] / "demo" / "data" / "fanpage-followers.csv"
CSV_NAME = "fanpage-followers.csv"
SQLITE_NAME = "demo-sales.sqlite3"
# The fanpage KR of head.marketing and the referral KR of head.sales (content.py).
CSV_KR_TITLE = "Fanpage"
SQL_KR_OWNER = "head.sales"
REFERRAL_QUERY = (
    "SELECT ROUND(100.0 * SUM(referred) / COUNT(*), 1) FROM new_clients "
    "WHERE signed_on >= date('now', '-90 days')"
)


def sources_folder() -> Path:
    folder = Path(settings.DATA_SOURCE_FILE_DIRS[0])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_atomically(target: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, target)


def make_sales_database(target: Path) -> None:
    """50 new clients of the last quarter, 9 of them referred: 18% (the KR aims at 20%)."""
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".sqlite3", delete=False) as handle:
        scratch = handle.name
    with sqlite3.connect(scratch) as db:
        db.execute("CREATE TABLE new_clients (name TEXT, signed_on TEXT, referred INTEGER)")
        db.executemany(
            "INSERT INTO new_clients VALUES (?, date('now', ?), ?)",
            [(f"Client {n}", f"-{n} days", int(n % 50 < 9)) for n in range(1, 51)],
        )
    os.replace(scratch, target)


def find_key_result(cycle: Cycle, **filters: str) -> KeyResult | None:
    return (
        KeyResult.objects.filter(objective__cycle=cycle, is_archived=False, **filters)
        .order_by("pk")
        .first()
    )


def build_demo_sources(cycle: Cycle) -> int:
    """Feed two of the cycle's key results from offline sources and read each once."""
    folder = sources_folder()
    csv_path = folder / CSV_NAME
    write_atomically(csv_path, SHIPPED_CSV.read_bytes())
    sqlite_path = folder / SQLITE_NAME
    make_sales_database(sqlite_path)
    fed = 0
    fanpage = find_key_result(
        cycle, owner__user__username="head.marketing", title__icontains=CSV_KR_TITLE
    )
    if fanpage is not None:
        source = save_data_source(
            None,
            fanpage,
            kind="csv",
            schedule="daily",
            file_path=str(csv_path),
            row="last",
            column="fanpage",
        ).source
        refresh_source(source.pk)
        fed += 1
    referrals = find_key_result(
        cycle, owner__user__username=SQL_KR_OWNER, shape="threshold", target_value=20
    )
    if referrals is not None:
        source = save_data_source(
            None,
            referrals,
            kind="sql",
            schedule="hourly",
            database_url=f"sqlite:///{sqlite_path}",
            query=REFERRAL_QUERY,
        ).source
        refresh_source(source.pk)
        fed += 1
    return fed
