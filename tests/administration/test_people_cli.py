"""`okrflow people import FILE [--dry-run]` and `okrflow people export`."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from okrflow.audit.models import AuditEntry
from okrflow.org.models import OrgUnit, Person
from tests.administration.people_files import csv_content
from tests.conftest import World

ROWS = [
    ["an@congty.vn", "Nguyễn Văn An", "Công ty", "", "lead", "vi", ""],
    ["binh@congty.vn", "Trần Thị Bình", "Công ty/Kho", "an@congty.vn", "", "", "no"],
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("people", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_content(ROWS))
    return path


@pytest.mark.django_db
def test_a_dry_run_prints_the_preview_and_saves_nothing(people_csv: Path) -> None:
    output = run("import", str(people_csv), "--dry-run")
    assert "2 rows: 2 to create, 0 to update, 0 unchanged; 2 units to create." in output
    assert "line 3      binh@congty.vn  Trần Thị Bình" in output
    assert "Dry run: nothing was saved." in output
    assert Person.objects.count() == 0 and OrgUnit.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_import_then_the_same_file_again(people_csv: Path) -> None:
    assert "Imported: 4 changes." in run("import", str(people_csv))
    assert Person.objects.count() == 2
    audit_rows = AuditEntry.objects.count()
    output = run("import", str(people_csv))
    assert "0 to create, 0 to update, 2 unchanged" in output and "Imported: 0 changes." in output
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.django_db
def test_problems_are_listed_by_line_and_stop_the_import(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_content([*ROWS, ["chi@congty.vn", "Chi", "", "ghost@x.vn", "", "", ""]]))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 problem\."):
        call_command("people", "import", str(path), stdout=out)
    assert "line 4      The manager ghost@x.vn is neither" in out.getvalue()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_messages_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_content([["", "Chi", "", "", "", "", ""]]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Không nhập gì"):
        call_command("people", "import", str(path), "--lang", "vi", stdout=out)
    assert "Email đang để trống." in out.getvalue()


@pytest.mark.django_db
def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    with path.open("wb") as file:  # 50 MB without writing them: a sparse file
        file.truncate(50_000_000)
    assert os.path.getsize(path) == 50_000_000
    with pytest.raises(CommandError, match="larger than 20 MB"):
        run("import", str(path))


@pytest.mark.django_db
def test_not_a_people_file(tmp_path: Path) -> None:
    path = tmp_path / "people.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="is not a CSV or XLSX file"):
        run("import", str(path))
    with pytest.raises(CommandError, match="No such file"):
        run("import", str(tmp_path / "missing.csv"))


def test_as_must_name_an_admin(world: World, people_csv: Path) -> None:
    with pytest.raises(CommandError, match="is not an OKR admin"):
        run("import", str(people_csv), "--as", world.member.user.username)
    run("import", str(people_csv), "--as", world.admin.user.username)
    entry = AuditEntry.objects.filter(action="create_person").latest("pk")
    assert entry.actor == world.admin.user


def test_export_to_a_file_and_to_standard_output(world: World, tmp_path: Path) -> None:
    target = tmp_path / "people.xlsx"
    call_command("people", "export", "--format", "xlsx", "-o", str(target), stderr=io.StringIO())
    sheet = load_workbook(target).active
    assert sheet.max_row == Person.objects.count() + 1
    output = run("export")
    assert output.startswith("\ufeffemail,full_name,unit,manager_email,role,language,active")
    with pytest.raises(CommandError, match="XLSX is binary"):
        run("export", "--format", "xlsx")
