#!/usr/bin/env python3
"""Time `okrflow people import` of 10,000 people on the configured database; print the figures.

    .venv/bin/python bench/people_import.py --reset            # SQLite in ./var (default)
    OKRFLOW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/okrflow_bench \\
        .venv/bin/python bench/people_import.py --reset

It writes a CSV of 10,000 people with Vietnamese names in about 600 units on three levels
(company, 20 divisions, teams), each unit led by one of its people who manages the rest,
then times: the first import (everything created), the same file again (0 changes), and the
file with 1,000 people changed. Each import is timed as reading, checking and writing.
`--reset` empties the database first (it refuses to run on a database that holds people).
This is a script that prints figures, never a timed test.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Gia", "Bảo"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân",
         "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vy", "Yến", "Đạt"]  # fmt: skip
DIVISIONS = ["Kinh doanh", "Marketing", "Sản phẩm", "Kỹ thuật", "Chăm sóc khách hàng", "Tài chính",
             "Nhân sự", "Pháp chế", "Vận hành", "Mua hàng", "Kho vận", "Dữ liệu", "Bảo mật",
             "Thiết kế", "Truyền thông", "Đào tạo", "Đối tác", "Quốc tế", "Chiến lược", "Hành chính"]  # fmt: skip
COMPANY = "Công ty Cổ phần Sao Việt"


def people_rows(count: int, teams_per_division: int, seed: int = 7) -> list[list[str]]:
    """Return the rows of a company of `count` people: leads first in each unit, then members."""
    from okrflow.engine.text import fold

    rng = random.Random(seed)
    units = [COMPANY]
    for division in DIVISIONS:
        units.append(f"{COMPANY}/Khối {division}")
        units += [
            f"{COMPANY}/Khối {division}/Nhóm {division} {team + 1}"
            for team in range(teams_per_division)
        ]
    rows: list[list[str]] = []
    lead_of: dict[str, str] = {}
    for index in range(count):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        email = f"{fold(name).replace(' ', '.')}.{index}@saoviet.vn"
        unit = units[index] if index < len(units) else rng.choice(units[1:])
        role = ""
        if unit not in lead_of:
            lead_of[unit] = email
            role = "lead"
            parent = unit.rsplit("/", 1)[0] if "/" in unit else None
            manager = lead_of.get(parent, "") if parent else ""
        else:
            manager = lead_of[unit]
        if index % 2000 == 1:
            role = (role + "+admin").strip("+")
        rows.append([email, name, unit, manager, role, "vi" if index % 7 else "en", "yes"])
    return rows


def csv_bytes_for(rows: list[list[str]]) -> bytes:
    from okrflow.org.people_table import COLUMNS
    from okrflow.spreadsheets import csv_bytes

    return csv_bytes([list(COLUMNS), *rows])


def timed_import(content: bytes) -> dict[str, float | int]:
    from django.db import connection, reset_queries

    from okrflow.org.people_files import read_table
    from okrflow.org.people_import import build_preview
    from okrflow.org.people_write import import_people

    reset_queries()
    started = time.perf_counter()
    table = read_table(content, "people.csv")
    read = time.perf_counter()
    preview = build_preview(table, None)
    checked = time.perf_counter()
    if preview.problems:
        raise SystemExit(f"the file has problems: {preview.problems[:3]}")
    import_people(None, preview)
    written = time.perf_counter()
    return {
        "read": read - started,
        "check": checked - read,
        "write": written - checked,
        "total": written - started,
        "created": len(preview.created),
        "updated": len(preview.updated),
        "unchanged": preview.unchanged,
        "units": len(preview.new_units),
        "queries": len(connection.queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=29, help="teams per division (29 → 601 units)")
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
    import django
    from django.conf import settings

    settings.DEBUG = True  # count queries
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from okrflow.audit.models import AuditEntry
    from okrflow.org.models import Person

    call_command("migrate", verbosity=0)
    if args.reset:
        call_command("flush", interactive=False, verbosity=0)
    if Person.objects.exists():
        raise SystemExit("The database holds people: run with --reset on a database to spare.")
    rows = people_rows(args.people, args.teams)
    content = csv_bytes_for(rows)
    print(f"database: {connection.vendor}; {len(rows):,} people; CSV {len(content) / 1e6:.2f} MB")

    def report(label: str, figures: dict[str, float | int]) -> None:
        print(
            f"{label:<22} total {figures['total']:6.2f} s  (read {figures['read']:.2f}, "
            f"check {figures['check']:.2f}, write {figures['write']:.2f}); "
            f"{figures['created']:,} created, {figures['updated']:,} updated, "
            f"{figures['unchanged']:,} unchanged, {figures['units']} units; "
            f"{figures['queries']} queries"
        )

    report("first import", timed_import(content))
    audit_rows = AuditEntry.objects.count()
    report("same file again", timed_import(content))
    assert AuditEntry.objects.count() == audit_rows, "the second import wrote audit rows"
    rng = random.Random(11)
    for row in rng.sample(rows, 1000):
        row[1] += " (mới)"
        row[5] = "en" if row[5] == "vi" else "vi"
    report("1,000 people changed", timed_import(csv_bytes_for(rows)))
    print(f"audit rows: {AuditEntry.objects.count():,}")


if __name__ == "__main__":
    main()
