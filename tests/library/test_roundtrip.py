"""Exports: JSON round-trips exactly; CSV, XLSX and text come back with what they carry."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import Cycle, CycleState
from okrflow.library.exporter import export_cycle
from okrflow.library.formats import read_file
from okrflow.library.importer import run_import
from okrflow.library.preview import build_preview
from okrflow.okrs.actions import align_objective, create_key_result, create_objective
from okrflow.okrs.models import Objective
from okrflow.org.actions import create_project
from tests.conftest import World, make_objective


def populate(world: World, cycle: Cycle | None = None) -> None:
    """Create OKRs of every shape, owner kind, state and alignment."""
    cycle = cycle or world.cycle
    project = create_project(
        None, name="Hội thảo chuyên ngành", lead=world.lead, unit=world.marketing
    )

    def objective(owner: Any, title: str, **extra: Any) -> Objective:
        return create_objective(None, cycle=cycle, title=title, owner=owner, **extra).value

    company = objective(world.company, "Giữ chân khách hàng cũ", kind="aspirational")
    marketing = objective(world.marketing, "Đưa website lên top SEO", tags=["seo", "inbound"])
    person = objective(world.member, "Hiểu hành vi khách hàng", is_private=True, state="draft")
    seminar = objective(project, "Hội thảo thành công", description="Dự án = sự kiện")
    align_objective(None, marketing, company)
    align_objective(None, person, marketing)
    align_objective(None, person, company, primary=False, weight=Decimal("0.5"))
    kr = create_key_result
    kr(None, company, title="Gia hạn từ 78% lên 92,5%", shape="percentage", start_value="78",
       target_value="92.5", current_value="80", weight="2", owner=world.sales_head)  # fmt: skip
    kr(None, company, title="Doanh thu 4,2 tỷ → 5,5 tỷ", shape="currency", start_value=4200000000,
       target_value=5500000000, currency="VND")  # fmt: skip
    kr(None, company, title="Phản hồi không quá 30 phút", shape="threshold", direction="at_most",
       start_value=55, target_value=30, unit="phút")  # fmt: skip
    kr(None, marketing, title="+20% lượt truy cập so với quý I", shape="relative",
       start_value=12000, relative_change=20, baseline_label="quý I", unit="lượt")  # fmt: skip
    kr(None, marketing, title="=Top 10 Google", shape="metric", start_value=23, target_value=10,
       direction="decrease", unit="vị trí", due_date=datetime.date(2026, 5, 15))  # fmt: skip
    kr(None, person, title="Bản phân tích hành vi", shape="milestone",
       due_date=datetime.date(2026, 4, 30))  # fmt: skip
    kr(None, seminar, title="Bản tin mỗi tuần", shape="recurring", per_period=1, period="week",
       unit="bản tin", current_value=3)  # fmt: skip
    kr(None, seminar, title="0,125 điểm hài lòng", shape="metric", start_value="1.125",
       target_value="1.25", unit="điểm")  # fmt: skip


def twin_cycle(world: World) -> Cycle:
    return create_cycle(
        None,
        name="Q2 2026 copy",
        start_date=world.cycle.start_date,
        end_date=world.cycle.end_date,
        state=CycleState.ACTIVE,
    )


def without_refs(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Replace database ids in refs by positions, so two exports compare."""
    position = {o["ref"]: f"#{i}" for i, o in enumerate(document["objectives"])}
    objectives = []
    for objective in document["objectives"]:
        objective = dict(objective, ref=position[objective["ref"]])
        objective["alignments"] = [
            dict(a, parent=position[a["parent"]]) for a in objective["alignments"]
        ]
        objectives.append(objective)
    return objectives


def reimport(content: bytes, format_name: str, cycle: Cycle, **options: Any) -> None:
    preview = build_preview(read_file(content, format_name), cycle, None, **options)
    assert preview.errors == [], [p.message for p in preview.errors]
    run_import(None, preview)


def test_json_export_then_import_reproduces_the_same_okrs(world: World) -> None:
    populate(world)
    exported = export_cycle(world.cycle, "json")
    copy = twin_cycle(world)
    reimport(exported, "json", copy)
    original = json.loads(exported)
    again = json.loads(export_cycle(copy, "json"))
    assert again["cycle"]["name"] == "Q2 2026 copy"
    assert without_refs(again) == without_refs(original)
    assert len(original["objectives"]) == 4
    person = next(o for o in original["objectives"] if o["owner"]["kind"] == "person")
    assert person["private"] is True and person["state"] == "draft"
    assert [a["primary"] for a in person["alignments"]] == [True, False]
    money = original["objectives"][0]["key_results"][1]
    assert (money["start"], money["target"], money["currency"]) == (
        "4200000000",
        "5500000000",
        "VND",
    )


@pytest.mark.parametrize(("format_name", "lang"), [("csv", "vi"), ("csv", "en"), ("xlsx", "vi")])
def test_table_exports_round_trip_their_columns(world: World, format_name: str, lang: str) -> None:
    populate(world)
    exported = export_cycle(world.cycle, format_name, lang=lang)
    copy = twin_cycle(world)
    reimport(exported, format_name, copy, number_lang=lang)
    before = json.loads(export_cycle(world.cycle, "json"))["objectives"]
    after = json.loads(export_cycle(copy, "json"))["objectives"]
    # A spreadsheet keeps one parent per objective and not the current values' history.
    for objective in before + after:
        objective["alignments"] = [a["primary"] for a in objective["alignments"] if a["primary"]]
        del objective["ref"]
    assert after == before


def test_csv_numbers_use_the_language_and_cells_are_guarded(world: World) -> None:
    populate(world)
    csv_vi = export_cycle(world.cycle, "csv", lang="vi").decode("utf-8-sig")
    assert csv_vi.splitlines()[0].startswith("scope,owner,objective,kind")
    assert ",1,125,1,25," not in csv_vi and '"1,125","1,25"' in csv_vi
    assert "'=Top 10 Google" in csv_vi
    assert '"0.5"' not in csv_vi
    csv_en = export_cycle(world.cycle, "csv", lang="en").decode("utf-8-sig")
    assert ",1.125,1.25," in csv_en


def test_text_and_markdown_exports_read_back_under_their_owners(world: World) -> None:
    populate(world)
    text = export_cycle(world.cycle, "text").decode()
    assert text.splitlines()[:3] == [
        "Sao Viet",
        "O1: Giữ chân khách hàng cũ",
        "- KR1: Gia hạn từ 78% lên 92,5%",
    ]
    for format_name in ("text", "md"):
        read = read_file(export_cycle(world.cycle, format_name), format_name)
        assert read.problems == []
        assert [o.title for o in read.objectives] == [
            "Giữ chân khách hàng cũ",
            "Đưa website lên top SEO",
            "Hội thảo thành công",
            "Hiểu hành vi khách hàng",
        ]
        assert [o.heading for o in read.objectives] == [
            "Sao Viet",
            "Marketing",
            "Hội thảo chuyên ngành",
            "Specialist Marketing",
        ]
        assert read.key_result_count == 8
    copy = twin_cycle(world)
    reimport(export_cycle(world.cycle, "text"), "text", copy)
    owners = Objective.objects.filter(cycle=copy).order_by("id")
    assert [o.owner_name for o in owners] == [
        "Sao Viet",
        "Marketing",
        "Hội thảo chuyên ngành",
        "Specialist Marketing",
    ]


def test_export_shows_only_what_the_reader_may_see(world: World) -> None:
    make_objective(world, world.sales, "Public sales goal")
    make_objective(world, world.member, "Private plan", is_private=True)
    outsider = export_cycle(world.cycle, "text", user=world.outsider.user).decode()
    lead = export_cycle(world.cycle, "text", user=world.lead.user).decode()
    assert "Public sales goal" in outsider and "Private plan" not in outsider
    assert "Private plan" in lead


def test_export_query_count_does_not_grow_with_the_cycle(world: World) -> None:
    def count_queries() -> int:
        user = type(world.admin.user).objects.get(pk=world.admin.user.pk)
        with CaptureQueriesContext(connection) as queries:
            export_cycle(world.cycle, "json", user=user)
        return len(queries)

    for index in range(2):
        make_objective(world, world.marketing, f"Objective {index}")
    small = count_queries()
    for index in range(2, 12):
        make_objective(world, world.member if index % 2 else world.sales, f"Objective {index}")
    assert count_queries() == small
