"""Reading every import format, with the line or row of everything found or wrong."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from okrflow.library.formats import detect_format, read_file
from okrflow.library.formats_table import cell_text, number_text
from okrflow.library.values import CellError, read_bool, read_date, read_decimal, read_tags
from okrflow.spreadsheets import csv_cell


def text(content: str) -> bytes:
    return content.encode("utf-8")


def test_text_reader_labels_and_bullets() -> None:
    read = read_file(
        text(
            "Kế hoạch quý này của chúng tôi như sau.\n"
            "Marketing\n"
            "O1: Khách hàng yêu thích bản tin\n"
            "- KR1: Tăng tỷ lệ mở email từ 18% lên 30%\n"
            "• Có 500 người đăng ký mới trước 30/6\n"
            "\n"
            "  KR3 - Giảm tỷ lệ hủy đăng ký xuống 1%\n"
            "Objective 2: Make onboarding effortless\n"
            "1. Cut time to first value from 5 days to 2\n"
            "Đoạn văn kết thúc khối.\n"
            "- Gạch đầu dòng sau đoạn văn không phải KR\n"
        ),
        "text",
    )
    assert read.problems == []
    assert [(o.line, o.heading, o.title) for o in read.objectives] == [
        (3, "Marketing", "Khách hàng yêu thích bản tin"),
        (8, "Marketing", "Make onboarding effortless"),
    ]
    assert [(kr.line, kr.title) for kr in read.objectives[0].key_results] == [
        (4, "Tăng tỷ lệ mở email từ 18% lên 30%"),
        (5, "Có 500 người đăng ký mới trước 30/6"),
        (7, "Giảm tỷ lệ hủy đăng ký xuống 1%"),
    ]
    assert [kr.line for kr in read.objectives[1].key_results] == [9]


def test_text_reader_reports_lines_it_cannot_place() -> None:
    read = read_file(text("- KR1: Lonely key result\nO:\nO: Real\n- KR1:\n"), "text")
    assert [(p.line, p.is_error) for p in read.problems] == [(1, True), (2, True), (4, True)]
    assert "objective above it" in read.problems[0].message


def test_markdown_reader() -> None:
    read = read_file(
        text(
            "# Q2 2026\n\n## Phòng Marketing\n\n### O1: **Tối ưu SEO**\n\n"
            "- [ ] KR1: Tăng 20% lượt truy cập so với quý I\n- [x] Tuyển 2 nhân viên SEO\n"
        ),
        "md",
    )
    assert [(o.heading, o.title) for o in read.objectives] == [("Phòng Marketing", "Tối ưu SEO")]
    assert [kr.title for kr in read.objectives[0].key_results] == [
        "Tăng 20% lượt truy cập so với quý I",
        "Tuyển 2 nhân viên SEO",
    ]


def test_csv_groups_rows_into_objectives() -> None:
    read = read_file(
        text(
            "scope;owner;objective;key_result;shape;start;target;unit;due;weight\n"
            "unit;Marketing;Own SEO;Visits;metric;1.000;1.500;visits;2026-06-30;2\n"
            "unit;Marketing;Own SEO;Rank top 5 by 30/6;;;;;;\n"
            "person;head.marketing;Write well;;;;;;;\n"
            ";;;;;;;;;\n"
            "unit;Marketing;;Orphan;;;;;;\n"
        ),
        "csv",
    )
    assert [(o.line, o.owner, o.scope, o.title) for o in read.objectives] == [
        (2, "Marketing", "unit", "Own SEO"),
        (4, "head.marketing", "person", "Write well"),
    ]
    visits, rank = read.objectives[0].key_results
    assert (visits.line, visits.columns["start"], visits.columns["weight"]) == (2, "1.000", "2")
    assert rank.columns == {}  # no shape: the sentence will be parsed
    assert read.objectives[1].key_results == []
    assert [(p.line, p.message) for p in read.problems] == [(6, "This row has no objective.")]


def test_csv_without_an_objective_column_is_refused() -> None:
    read = read_file(text("owner,title\nMarketing,Win\n"), "csv")
    assert read.objectives == [] and read.problems[0].line == 1


def test_xlsx_reader_reads_the_first_sheet_with_row_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Owner", "Objective", "Key result", "Target", "Shape", "Start"])
    sheet.append(["Marketing", "Own SEO", "Visits", 1500, "metric", 1000])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Marketing", "Own SEO", "Tuyển 2 nhân viên SEO trong tháng 5", None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    read = read_file(out.getvalue(), "xlsx")
    assert read.problems == []
    [objective] = read.objectives
    assert [(kr.line, kr.title) for kr in objective.key_results] == [
        (2, "Visits"),
        (4, "Tuyển 2 nhân viên SEO trong tháng 5"),
    ]
    assert objective.key_results[0].columns["target"] == 1500


def test_broken_files_become_problems_not_exceptions() -> None:
    assert "XLSX" in read_file(b"not a zip", "xlsx").problems[0].message
    bad_json = read_file(b'{"objectives": [', "json")
    assert bad_json.problems[0].line == 1
    assert read_file(b"\xff\xfe\x00bad", "text").problems[0].message.startswith("The file is not")
    assert read_file(b"{}", "json").problems[0].where == "objectives"
    assert read_file(b"x", "pdf").problems[0].message == "Unknown format “pdf”."


def test_json_reader_points_at_paths() -> None:
    read = read_file(
        text(
            '{"objectives": [{"title": "Win", "owner": {"kind": "unit", "name": "Sales"},'
            ' "key_results": [{"title": ""}, {"title": "Sign 5 deals", "shape": "metric",'
            ' "start": "0", "target": 5}]}, {"owner": "x"}]}'
        ),
        "json",
    )
    assert [(p.where, p.message) for p in read.problems] == [
        ("objectives[0].key_results[0]", "A key result needs a title."),
        ("objectives[1]", "An objective needs a title."),
    ]
    [objective] = read.objectives
    assert (objective.scope, objective.owner) == ("unit", "Sales")
    # Numbers written as strings are read exactly, whatever the reader's language.
    assert objective.key_results[0].columns == {
        "shape": "metric",
        "start": Decimal("0"),
        "target": 5,
    }


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"O: x", "plan.TXT", "text"),
        (b"x", "plan.markdown", "md"),
        (b"PK\x03\x04rest", "", "xlsx"),
        (b'  {"objectives": []}', "", "json"),
        (b"owner,objective,key_result\n", "", "csv"),
        ("chủ sở hữu;mục tiêu\n".encode(), "", "csv"),
        (b"# Plan\n## Sales\n", "", "md"),
        (b"Sales\nO: Win", "", "text"),
    ],
)
def test_detect_format(content: bytes, name: str, expected: str) -> None:
    assert detect_format(content, name) == expected


def test_cell_readers() -> None:
    assert read_decimal("10.000", "vi") == 10000
    assert read_decimal("1,5", "vi") == read_decimal("1.5", "en")
    assert read_decimal("'-5", "en") == -5
    assert read_decimal(2.5, "vi") == read_decimal("2,5", "vi")
    for bad in ("abc", "NaN", "1e20", True):
        with pytest.raises(CellError):
            read_decimal(bad, "vi")
    assert str(read_date("30/06/2026")) == str(read_date("2026-06-30")) == "2026-06-30"
    with pytest.raises(CellError):
        read_date("31/02/2026")
    assert read_bool("có") and not read_bool("") and read_bool(True)
    with pytest.raises(CellError):
        read_bool("maybe")
    assert read_tags("#inbound, seo;ads") == ["inbound", "seo", "ads"]


def test_formula_cells_are_guarded_both_ways() -> None:
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("-5% churn") == "'-5% churn"
    assert cell_text("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert cell_text("'quoted") == "'quoted"
    assert number_text(None, "vi") == ""
