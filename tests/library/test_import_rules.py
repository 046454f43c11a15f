"""Imports are all or nothing: every problem with its line, owners, permissions, rollbacks."""

from __future__ import annotations

from typing import Any

import pytest

from okrflow.audit.models import AuditEntry
from okrflow.cycles.models import CycleState
from okrflow.library.formats import read_file
from okrflow.library.importer import ImportFailed, run_import
from okrflow.library.preview import ImportPreview, build_preview
from okrflow.okrs.models import Alignment, KeyResult, Objective
from okrflow.org.models import Organisation
from tests.conftest import World, make_objective

MALFORMED = """Kế hoạch quý II
- KR1: Một kết quả chưa có mục tiêu
Marketing
O: Khách hàng yêu thích bản tin
- KR1: Tăng tỷ lệ mở email từ 30% lên 30% trước 30/6
- KR2: Có 500 người đăng ký mới trước 30/6
Phòng Không Tồn Tại
O: Một mục tiêu không có chủ
- KR1: Tuyển 2 nhân viên trước 30/5
"""


def preview_of(content: str, world: World, actor: Any = None, **options: Any) -> ImportPreview:
    return build_preview(read_file(content.encode(), "text"), world.cycle, actor, **options)


def counts() -> tuple[int, int, int, int]:
    return (
        Objective.objects.count(),
        KeyResult.objects.count(),
        Alignment.objects.count(),
        AuditEntry.objects.count(),
    )


def test_malformed_file_reports_every_line_and_saves_nothing(world: World) -> None:
    make_objective(world, world.marketing, "Already here")
    before = counts()
    preview = preview_of(MALFORMED, world)
    assert [(p.line, p.message) for p in preview.errors] == [
        (2, "This key result has no objective above it (write “O: …” first)."),
        (5, "The target must differ from the starting value."),
        (
            8,
            "No person, unit or project is called “Phòng Không Tồn Tại”. Map it to an owner, "
            "create it as a project, or skip its objectives.",
        ),
    ]
    assert not preview.can_import
    with pytest.raises(ImportFailed) as failure:
        run_import(None, preview)
    assert [p.line for p in failure.value.problems] == [2, 5, 8]
    assert counts() == before


def test_default_owner_takes_unknown_headings_with_a_note(world: World) -> None:
    content = "Phòng Không Tồn Tại\nO: Một mục tiêu\n- KR1: Tuyển 2 nhân viên trước 30/5\n"
    preview = preview_of(content, world, default_owner=world.sales)
    assert preview.errors == []
    assert [p.line for p in preview.warnings] == [2]
    run_import(None, preview)
    assert Objective.objects.get(title="Một mục tiêu").owner_unit == world.sales


def test_owners_resolve_by_username_full_name_unit_project_and_prefix(world: World) -> None:
    content = "specialist.marketing\nO: A\nHead Sales\nO: B\nunit:Marketing\nO: C\nsales\nO: D\n"
    preview = preview_of(content, world)
    assert preview.errors == []
    assert [o.owner for o in preview.objectives] == [
        world.member,
        world.sales_head,
        world.marketing,
        world.sales,
    ]


def test_ambiguous_owner_is_an_error(world: World) -> None:
    from okrflow.org.actions import create_unit

    create_unit(None, name="Sales", parent=world.marketing)
    preview = preview_of("Sales\nO: Win\n", world)
    assert "matches several owners" in preview.errors[0].message
    assert preview.errors[0].line == 2


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", {"Marketing", "Sales", "Specialist Marketing"}),
     ("lead", {"Marketing", "Specialist Marketing"}),
     ("member", {"Specialist Marketing"}),
     ("outsider", set())],
)  # fmt: skip
def test_only_owners_the_actor_may_edit_can_be_imported(
    world: World, persona: str, allowed: set[str]
) -> None:
    content = (
        "Marketing\nO: M\n- KR1: Tuyển 2 nhân viên trước 30/5\n"
        "Sales\nO: S\n- KR1: Ký 5 hợp đồng trước 30/5\n"
        "specialist.marketing\nO: P\n- KR1: Viết 4 bài trước 30/5\n"
    )
    actor = getattr(world, persona).user
    preview = preview_of(content, world, actor)
    refused = {o.owner_label for o in preview.objectives if any(
        p.line == o.line and "cannot create" in p.message for p in preview.errors
    )}  # fmt: skip
    assert {o.owner_label for o in preview.objectives} - refused == allowed
    before = counts()
    if refused:
        with pytest.raises(ImportFailed):
            run_import(actor, preview)
        assert counts() == before
    else:
        run_import(actor, preview)
        assert Objective.objects.count() == before[0] + 3


def test_closed_cycle_refuses_the_import(world: World) -> None:
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    preview = preview_of("Marketing\nO: M\n", world)
    assert "closed" in preview.errors[0].message


def test_an_action_refusing_midway_rolls_everything_back(world: World) -> None:
    organisation = Organisation.current()
    organisation.enforce_focus = True
    organisation.individual_objectives_max = 1
    organisation.save()
    content = (
        "Marketing\nO: First\n- KR1: Tuyển 2 nhân viên trước 30/5\n"
        "specialist.marketing\nO: Mine\nO: Too many\n- KR1: Viết 4 bài trước 30/5\n"
    )
    preview = preview_of(content, world)
    assert preview.can_import  # the preview does not know the org's hard limit...
    before = counts()
    with pytest.raises(ImportFailed) as failure:
        run_import(None, preview)
    # ...the action does, and the whole import is undone, the first objective included.
    assert failure.value.problems[0].line == 6
    assert counts() == before


def test_empty_or_prose_only_file_has_nothing_to_import(world: World) -> None:
    preview = preview_of("Chỉ là một đoạn văn.\n- và một gạch đầu dòng\n", world)
    assert preview.errors[0].message.startswith("No objective was found")
    assert not preview.can_import


def test_unit_without_a_lead_needs_a_key_result_owner(world: World) -> None:
    preview = preview_of("unit:Content\nO: Nội dung hay\n- KR1: Viết 4 bài trước 30/5\n", world)
    assert preview.errors[0].line == 3
    assert "no lead" in preview.errors[0].message


def test_csv_parents_and_bad_cells_report_rows(world: World) -> None:
    content = (
        "scope,owner,objective,ref,parent,key_result,shape,start,target,due,kr_owner\n"
        "unit,Marketing,Top,T,,Visits,metric,abc,10,2026-06-30,\n"
        "unit,Marketing,Child,C,NOPE,Leads,metric,0,10,2026-13-01,nobody\n"
    )
    preview = build_preview(read_file(content.encode(), "csv"), world.cycle, None)
    assert [(p.line, p.message) for p in preview.errors] == [
        (2, "“abc” is not a number."),
        (3, "“2026-13-01” is not a date; write 2026-06-30 or 30/06/2026."),
        (3, "No person, unit or project is called “nobody”."),
        (3, "The parent “NOPE” is not another objective in this file."),
    ]


def test_csv_parent_refs_create_alignments(world: World) -> None:
    content = (
        "scope,owner,objective,ref,parent,kind,state,private,tags\n"
        "unit,Sao Viet,Top,T,,aspirational,active,,brand\n"
        "person,specialist.marketing,Child,C,T,cam kết,nháp,có,#email #seo\n"
    )
    preview = build_preview(read_file(content.encode(), "csv"), world.cycle, None)
    assert preview.errors == []
    run_import(None, preview)
    child = Objective.objects.get(title="Child")
    assert child.parent_links.get().parent.title == "Top"
    assert (child.kind, child.state, child.is_private) == ("committed", "draft", True)
    assert sorted(t.name for t in child.tags.all()) == ["email", "seo"]
    assert Objective.objects.get(title="Top").kind == "aspirational"
