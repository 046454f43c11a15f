"""The review documents (PDF with Vietnamese glyphs, XLSX, CSV) and the backtest command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from okrflow.insights.actions import close_cycle, save_reflection
from okrflow.insights.reports.styles import FONT_CANDIDATES, register_fonts
from tests.conftest import World
from tests.insights.conftest import objective_with, record_weekly

pytestmark = pytest.mark.django_db
DEJAVU = Path(FONT_CANDIDATES[0][0])


@pytest.fixture
def closed(world: World, today):  # type: ignore[no-untyped-def]
    objective, (kr,) = objective_with(
        world,
        world.marketing,
        "Tối ưu hóa thứ hạng SEO cho từ khóa “tư vấn thương hiệu”",
        [
            {
                "title": "Tăng 20% lượng truy cập website so với quý I",
                "start_value": 1000,
                "target_value": 1200,
            }
        ],
    )
    record_weekly(kr, [1020, 1050, 1090, 1110])
    close_cycle(None, world.cycle)
    save_reflection(
        None, objective, went_well="Nội dung đều đặn", went_badly="", lessons="Đo sớm hơn"
    )
    return objective


def test_pdf_report_in_vietnamese(closed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "review.pdf"
    out = io.StringIO()
    call_command(
        "report",
        "--cycle",
        "Q2 2026",
        "--format",
        "pdf",
        "--lang",
        "vi",
        "--output",
        str(output),
        stdout=out,
    )
    body = output.read_bytes()
    assert body.startswith(b"%PDF") and b"%%EOF" in body[-64:]
    assert (
        body.count(b"/Type /Page\n") + body.count(b"/Type /Page>") + body.count(b"/Type /Page ")
        >= 2
    )
    assert "Wrote" in out.getvalue()
    if DEJAVU.exists():
        assert b"DejaVuSans" in body  # the embedded font has the Vietnamese diacritics


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("vi", ["0,55", "0,7–1,0", "01/04/2026"], "0.55"),
        ("en", ["0.55", "0.7–1.0", "1 Apr 2026"], "0,55"),
    ],
)
def test_pdf_numbers_and_dates_read_as_the_pages_do(  # type: ignore[no-untyped-def]
    closed, tmp_path: Path, language: str, expected: list[str], foreign: str
) -> None:
    output = tmp_path / "review.pdf"
    call_command(
        "report",
        "--cycle",
        "Q2 2026",
        "--format",
        "pdf",
        "--lang",
        language,
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    words = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    for figure in expected:
        assert figure in words
    assert foreign not in words


def test_the_pdf_font_has_vietnamese_glyphs() -> None:
    if not DEJAVU.exists():
        pytest.skip("fonts-dejavu-core is not installed")
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont("OkrflowSans").face
    assert all(ord(char) in face.charToGlyph for char in "Tiếp thị ưu đãi ổn định Đ")


def test_xlsx_and_csv_reports(closed, tmp_path: Path, capsysbinary) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "review.xlsx"
    call_command(
        "report",
        "--cycle",
        "Q2 2026",
        "--format",
        "xlsx",
        "--lang",
        "en",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    book = load_workbook(output)
    objectives = list(book["Objectives"].iter_rows(min_row=2, values_only=True))
    assert objectives[0][1] == "Tối ưu hóa thứ hạng SEO cho từ khóa “tư vấn thương hiệu”"
    assert objectives[0][4] == 0.55 and objectives[0][7] == "Nội dung đều đặn"
    call_command(
        "report", "--cycle", "Q2 2026", "--format", "csv", "--output", "-", stdout=io.StringIO()
    )
    text = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert "Tăng 20% lượng truy cập website so với quý I" in text
    with pytest.raises(CommandError, match="No cycle"):
        call_command("report", "--cycle", "Nope", stdout=io.StringIO())


def test_backtest_command_reports_coverage_and_both_errors(world: World) -> None:
    out = io.StringIO()
    call_command("backtest", "--json", "--count", "60", stdout=out)
    data = json.loads(out.getvalue())
    synthetic = data["synthetic"]
    assert synthetic["key_results"] == 60 and synthetic["forecasts"] == 60 * 12
    assert 0.7 <= synthetic["coverage_80"] <= 0.9
    assert synthetic["mae_forecast"] < synthetic["mae_naive_pace"]
    out = io.StringIO()
    call_command("backtest", "--count", "20", stdout=out)
    assert "MAE naive pace" in out.getvalue()


def test_backtest_reads_recorded_histories(world: World, today) -> None:  # type: ignore[no-untyped-def]
    _, (kr,) = objective_with(
        world,
        world.marketing,
        "Own SEO",
        [{"title": "Visits", "start_value": 0, "target_value": 100}],
    )
    record_weekly(kr, [5, 10, 15, 20, 25])
    out = io.StringIO()
    call_command("backtest", "--json", "--count", "5", stdout=out)
    database = json.loads(out.getvalue())["database"]
    assert database["key_results"] == 1 and database["forecasts"] == 4


@pytest.mark.parametrize(
    ("lang", "period"), [("en", "1 Apr 2026 – 30 Jun 2026"), ("vi", "01/04/2026 – 30/06/2026")]
)
def test_xlsx_period_is_written_as_the_language_writes_dates(  # type: ignore[no-untyped-def]
    closed, tmp_path: Path, lang: str, period: str
) -> None:
    output = tmp_path / f"review-{lang}.xlsx"
    call_command(
        "report",
        *("--cycle", "Q2 2026", "--format", "xlsx", "--lang", lang, "--output", str(output)),
        stdout=io.StringIO(),
    )
    rows = list(load_workbook(output).worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == period, rows[:4]
