"""Start dates, compound key results and recurring slots: actions, audit rows, import, CLI (#16)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from okrflow.audit.models import AuditEntry
from okrflow.engine.progress import StatusThresholds
from okrflow.library.formats import read_file
from okrflow.library.importer import run_import
from okrflow.library.preview import build_preview
from okrflow.okrs.actions import create_key_result, update_key_result
from okrflow.okrs.actions.shapes import (
    record_part_values,
    record_slot_outcomes,
    set_key_result_parts,
)
from okrflow.okrs.measure import measure_key_result
from okrflow.okrs.models import KeyResult, KeyResultPart, KeyResultPartValue, SlotOutcome
from okrflow.okrs.shapes import slot_strip
from tests.conftest import World, make_objective

D = datetime.date
SEMINAR_PARTS = [
    {"label": "In person", "start_value": 0, "target_value": 300, "unit": "khách"},
    {"label": "Livestream", "start_value": 0, "target_value": 5000, "unit": "người xem"},
]


def new_kr(world: World, **fields: object) -> KeyResult:
    objective = make_objective(world, world.member, "Grow the newsletter")
    defaults: dict[str, object] = {
        "title": "Reach 1,000 readers",
        "start_value": 0,
        "target_value": 1000,
    }
    return create_key_result(world.member.user, objective, **(defaults | fields)).value


# --- start date ----------------------------------------------------------------------------------


def test_a_start_date_moves_the_pace_line(world: World) -> None:
    kr = new_kr(world, start_date=D(2026, 5, 1))
    assert kr.start_date == D(2026, 5, 1)
    report = measure_key_result(kr, world.cycle.start_date, D(2026, 5, 1), 1.0, StatusThresholds())
    assert report.expected == 0.0
    entry = AuditEntry.objects.filter(action="create_key_result", object_id=kr.pk).get()
    assert entry.after["start_date"] == "2026-05-01"


@pytest.mark.parametrize(
    ("start", "due", "message"),
    [
        (
            D(2026, 3, 31),
            None,
            "The start date must fall inside the cycle (1 Apr 2026 – 30 Jun 2026).",
        ),
        (D(2026, 6, 1), D(2026, 5, 31), "The start date must not be after the due date."),
        ("15/4", None, "Enter a date as YYYY-MM-DD."),
    ],
)
def test_a_bad_start_date_is_refused_and_nothing_saved(
    world: World, start: object, due: object, message: str
) -> None:
    objective = make_objective(world, world.member, "Grow the newsletter")
    before = KeyResult.objects.count()
    with pytest.raises(ValidationError) as error:
        create_key_result(
            world.member.user,
            objective,
            title="Reach 1,000 readers",
            start_value=0,
            target_value=1000,
            start_date=start,
            due_date=due,
        )
    assert error.value.message_dict["start_date"] == [message]
    assert KeyResult.objects.count() == before


def test_a_start_date_is_refused_in_vietnamese_too(world: World) -> None:
    from django.utils import translation

    kr = new_kr(world)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        update_key_result(world.member.user, kr, start_date=D(2026, 7, 1))
    assert "chu kỳ" in error.value.message_dict["start_date"][0]


# --- compound ------------------------------------------------------------------------------------


def test_a_compound_key_result_is_checked_in_part_by_part(world: World) -> None:
    kr = new_kr(world, title="Seminar: 300 in person and 5,000 online")
    kr = set_key_result_parts(world.member.user, kr, combine="weakest", parts=SEMINAR_PARTS)
    assert (kr.shape, kr.combine, kr.parts.count()) == ("percentage", "weakest", 2)
    parts = list(kr.parts.all())
    record_part_values(
        world.member.user, kr, values={parts[0].pk: "300"}, measured_on=D(2026, 5, 1)
    )
    kr.refresh_from_db()
    assert kr.current_value == Decimal(0)  # the weakest part has nothing yet
    record_part_values(
        world.member.user, kr, values={parts[1].pk: "2500"}, measured_on=D(2026, 5, 8)
    )
    kr.refresh_from_db()
    assert kr.current_value == Decimal(50)
    assert KeyResultPartValue.objects.filter(part__key_result=kr).count() == 2
    actions = list(
        AuditEntry.objects.filter(object_id=kr.pk, object_type="keyresult").values_list(
            "action", flat=True
        )
    )
    assert actions.count("record_part_values") == 2 and "set_key_result_parts" in actions
    # Parts with check-ins are history: they can no longer be replaced.
    with pytest.raises(ValidationError):
        set_key_result_parts(world.member.user, kr, combine="weighted", parts=SEMINAR_PARTS)


def test_a_compound_key_result_with_one_part_is_refused(world: World) -> None:
    kr = new_kr(world)
    with pytest.raises(ValidationError) as error:
        set_key_result_parts(world.member.user, kr, combine="weakest", parts=SEMINAR_PARTS[:1])
    assert error.value.message_dict["parts"] == [
        "A compound key result needs at least two measured parts."
    ]
    kr.refresh_from_db()
    assert (kr.combine, KeyResultPart.objects.count()) == ("", 0)


def test_a_part_with_bad_figures_names_the_part(world: World) -> None:
    kr = new_kr(world)
    bad = [SEMINAR_PARTS[0], {"label": "Online", "start_value": 5, "target_value": 5}]
    with pytest.raises(ValidationError) as error:
        set_key_result_parts(world.member.user, kr, combine="weakest", parts=bad)
    assert error.value.message_dict["parts"] == [
        "Part 2: The target must differ from the starting value."
    ]


@pytest.mark.parametrize("persona", ["outsider", "sales_head"])
def test_others_cannot_touch_parts_or_slots(world: World, persona: str) -> None:
    kr = new_kr(world)
    kr = set_key_result_parts(world.member.user, kr, combine="weakest", parts=SEMINAR_PARTS)
    actor = getattr(world, persona).user
    with pytest.raises(PermissionDenied):
        set_key_result_parts(actor, kr, combine="weighted", parts=SEMINAR_PARTS)
    with pytest.raises(PermissionDenied):
        record_part_values(actor, kr, values={kr.parts.first().pk: "1"})  # type: ignore[union-attr]


def test_the_lead_may_check_in_a_part_of_the_members_key_result(world: World) -> None:
    kr = set_key_result_parts(
        world.member.user, new_kr(world), combine="weighted", parts=SEMINAR_PARTS
    )
    part = kr.parts.first()
    assert part is not None
    record_part_values(world.lead.user, kr, values={part.pk: "150"})
    part.refresh_from_db()
    assert part.current_value == Decimal(150)


# --- slots ---------------------------------------------------------------------------------------


def newsletter(world: World) -> KeyResult:
    return new_kr(
        world,
        title="Send the newsletter every Friday 17:00",
        shape="recurring",
        per_period=1,
        period="week",
        start_value=None,
        target_value=None,
        slot_weekday=4,
        slot_hour=17,
        start_date=D(2026, 4, 15),
    )


def test_a_slot_on_a_non_recurring_key_result_is_refused(world: World) -> None:
    before = KeyResult.objects.count()
    objective = make_objective(world, world.member, "Grow the newsletter")
    with pytest.raises(ValidationError) as error:
        create_key_result(
            world.member.user,
            objective,
            title="Reach 1,000 readers",
            start_value=0,
            target_value=1000,
            slot_weekday=4,
            slot_hour=17,
        )
    assert error.value.message_dict["slot_weekday"] == [
        "Only a recurring key result can keep a slot."
    ]
    assert KeyResult.objects.count() == before + 1  # only make_objective's own key result


def test_slot_outcomes_are_appended_and_the_strip_shows_missed_fridays(world: World) -> None:
    kr = newsletter(world)
    record_slot_outcomes(
        world.member.user, kr, answers={D(2026, 4, 17): True, D(2026, 4, 24): False}
    )
    record_slot_outcomes(world.member.user, kr, answers={D(2026, 4, 24): True})
    assert SlotOutcome.objects.filter(key_result=kr).count() == 3
    now = datetime.datetime(2026, 5, 9, 12, tzinfo=datetime.UTC)
    marks = {cell.planned: cell.mark for cell in slot_strip(kr, now)}
    assert marks[D(2026, 4, 17)] == "met"
    assert marks[D(2026, 4, 24)] == "met"  # the newest answer counts
    # 1/5 is a holiday: the slot moved to Wednesday 29/4 and nobody said it was met.
    assert marks[D(2026, 5, 1)] == "missed"
    assert marks[D(2026, 5, 8)] == "missed"
    assert marks[D(2026, 5, 15)] == "pending"
    assert AuditEntry.objects.filter(action="record_slot_outcomes", object_id=kr.pk).count() == 2
    with pytest.raises(ValidationError):
        record_slot_outcomes(world.member.user, kr, answers={D(2026, 4, 16): True})


# --- import and CLI ------------------------------------------------------------------------------

ARTICLE = """Marketing
O: Tăng nhận diện thương hiệu
- KR1: Thực hiện chạy quảng cáo trên Google, Facebook với đường dẫn về website duy trì từ 15/4
- KR2: Tổ chức hội thảo chuyên ngành trong tháng 4 thu hút được ít nhất 300 khách mời tham gia trực tiếp và 5000 khách theo dõi qua livestream
"""


def test_the_import_reads_start_dates_and_splits_compound_targets(world: World) -> None:
    preview = build_preview(read_file(ARTICLE.encode(), "text"), world.cycle, None)
    assert preview.errors == []
    run_import(None, preview)
    ads = KeyResult.objects.get(title__contains="quảng cáo")
    assert ads.start_date == D(2026, 4, 15)
    seminar = KeyResult.objects.get(title__contains="hội thảo")
    assert seminar.combine == "weakest"
    assert [(p.target_value, p.unit) for p in seminar.parts.all()] == [
        (Decimal(300), "khách mời"),
        (Decimal(5000), "khách"),
    ]


def test_okrs_json_carries_start_date_parts_and_slot(world: World) -> None:
    kr = newsletter(world)
    compound = set_key_result_parts(
        world.member.user, new_kr(world), combine="weakest", parts=SEMINAR_PARTS
    )
    out = io.StringIO()
    call_command("okrs", "--json", "--on", "2026-05-09", stdout=out)
    data = json.loads(out.getvalue())
    rows = {k["id"]: k for o in data["objectives"] for k in o["key_results"]}
    assert rows[kr.pk]["start_date"] == "2026-04-15"
    assert rows[kr.pk]["slot"] == {"weekday": 4, "hour": 17}
    assert rows[kr.pk]["parts"] == []
    assert [p["target"] for p in rows[compound.pk]["parts"]] == [300, 5000]
    assert set(rows[compound.pk]["parts"][0]) >= {"shape", "start", "target", "current", "progress"}
    assert rows[compound.pk]["start_date"] == "2026-04-01"
