"""The Vietnamese practice's check-in questions (#16): late work and the person's own pace."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions import late_work_to_initiative, record_checkin
from okrflow.checkins.export import checkin_data_for
from okrflow.checkins.models import CheckIn, LateWorkInitiative
from okrflow.okrs.models import Initiative
from tests.checkins.conftest import WEEK, Krs, checkin_data, signed_in
from tests.conftest import World

LATE = "Spring brochure print\nPartner video edit"
DUE = datetime.date(2026, 5, 29)


def submit_with_questions(
    world: World, krs: Krs, *, pace: str = "slow", late_work: str = LATE
) -> CheckIn:
    data = checkin_data(krs.all, ["3,000", "52", "1", "6"])
    data.late_work = late_work
    data.pace = pace
    return record_checkin(
        world.member.user, person=world.member, cycle=world.cycle, week=WEEK, data=data
    )


@pytest.fixture
def checkin(world: World, krs: Krs) -> CheckIn:
    return submit_with_questions(world, krs)


# --- the check-in stores the answers -----------------------------------------------------------


def test_the_answers_are_stored_with_the_check_in_and_its_audit_row(checkin: CheckIn) -> None:
    checkin.refresh_from_db()
    assert checkin.pace == "slow"
    assert checkin.late_items == ["Spring brochure print", "Partner video edit"]
    entry = AuditEntry.objects.get(action="submit_checkin")
    assert entry.after["pace"] == "slow"
    assert entry.after["late_work"] == LATE


@pytest.mark.parametrize("pace", ["very slow", "chậm", "SLOW", "3"])
def test_an_unknown_pace_is_refused_and_nothing_is_saved(world: World, krs: Krs, pace: str) -> None:
    with pytest.raises(ValidationError) as caught:
        submit_with_questions(world, krs, pace=pace)
    assert caught.value.message_dict["pace"] == ["Choose a pace: fast, normal or slow."]
    assert not CheckIn.objects.exists()


def test_the_form_refuses_an_unknown_pace_with_a_message(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.member)
    form = {"cycle": str(world.cycle.pk), "week": WEEK.isoformat(), "action": "submit"}
    for kr, value in zip(krs.all, ["3000", "52", "1", "6"], strict=True):
        form |= {f"kr-{kr.pk}-value": value, f"kr-{kr.pk}-confidence": "high"}
    form |= {"confidence": "high", "late_work": LATE, "pace": "sprint"}
    response = client.post("/checkins/", form)
    assert response.status_code == 200
    assert "Choose a pace: fast, normal or slow." in response.content.decode()
    assert not CheckIn.objects.exists()
    response = client.post("/checkins/", form | {"pace": "slow"})
    assert response.status_code == 302
    saved = CheckIn.objects.get()
    assert (saved.pace, saved.late_work) == ("slow", LATE)


def test_the_form_asks_both_questions_and_keeps_a_draft(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.member)
    page = client.get("/checkins/").content.decode()
    assert 'name="late_work"' in page
    for pace in ("fast", "normal", "slow"):
        assert f'id="pace-{pace}"' in page
    form = {"cycle": str(world.cycle.pk), "week": WEEK.isoformat(), "action": "draft"}
    form |= {"late_work": "Brochure", "pace": "fast"}
    assert client.post("/checkins/", form).status_code == 302
    page = client.get("/checkins/").content.decode()
    assert 'id="pace-fast" name="pace" value="fast" checked' in page
    assert "Brochure</textarea>" in page


def test_a_correction_keeps_the_earlier_answers(world: World, checkin: CheckIn) -> None:
    from okrflow.checkins.actions import correct_checkin

    data = checkin_data([], [])
    data.pace = "normal"
    data.late_work = "Partner video edit"
    correction = correct_checkin(world.member.user, checkin, data=data)
    checkin.refresh_from_db()
    assert (checkin.pace, correction.pace) == ("slow", "normal")
    assert correction.late_items == ["Partner video edit"]


# --- shown where check-ins are shown -----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_detail_history_and_meeting_show_the_answers(
    client: Client, world: World, checkin: CheckIn, persona: str, status: int
) -> None:
    signed_in(client, getattr(world, persona))
    pages = [
        f"/checkins/{checkin.pk}/",
        f"/checkins/people/{world.member.pk}/",
        f"/checkins/1on1/{world.member.pk}/?cycle={world.cycle.pk}&week={WEEK.isoformat()}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == status, url
        if status == 200:
            page = response.content.decode()
            assert "Spring brochure print" in page, url
            assert 'data-pace="slow"' in page, url


def test_the_team_page_shows_pace_and_late_work(
    client: Client, world: World, checkin: CheckIn
) -> None:
    page = signed_in(client, world.lead).get("/checkins/team/").content.decode()
    assert 'data-pace="slow"' in page
    assert "data-late-work" in page


def test_the_export_carries_pace_and_late_work(krs: Krs, checkin: CheckIn) -> None:
    data = checkin_data_for([krs.followers.objective_id])
    assert data["key_results"][krs.followers.pk][-1]["pace"] == "slow"
    latest = data["objectives"][krs.followers.objective_id]
    assert (latest["late_work"], latest["pace"]) == (LATE, "slow")


def test_the_detail_page_reads_late_work_in_bounded_queries(
    client: Client, world: World, checkin: CheckIn
) -> None:
    signed_in(client, world.member)
    client.get(f"/checkins/{checkin.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/checkins/{checkin.pk}/")
    late_work_to_initiative(
        world.member.user,
        checkin,
        item="Spring brochure print",
        key_result_id=checkin.lines.first().key_result_id,  # type: ignore[union-attr]
        due_date=DUE,
    )
    late_work_to_initiative(
        world.member.user,
        checkin,
        item="Partner video edit",
        key_result_id=checkin.lines.first().key_result_id,  # type: ignore[union-attr]
        due_date=DUE,
    )
    with CaptureQueriesContext(connection) as more:
        page = client.get(f"/checkins/{checkin.pk}/").content.decode()
    assert page.count("data-late-initiative") == 2
    assert len(more) == len(few)
    assert len(more) <= DETAIL_QUERIES, len(more)


# The check-in page with late work (measured 17): one query for what each item became, one for the
# key results to attach it to, however many items.
DETAIL_QUERIES = 17


# --- late work becomes an initiative -----------------------------------------------------------


def test_late_work_becomes_an_initiative_with_a_due_date_and_audit_rows(
    world: World, krs: Krs, checkin: CheckIn
) -> None:
    link = late_work_to_initiative(
        world.member.user,
        checkin,
        item="Spring brochure print",
        key_result_id=krs.followers.pk,
        due_date=DUE,
    )
    initiative = Initiative.objects.get()
    assert link.initiative == initiative
    assert (initiative.title, initiative.due_date) == ("Spring brochure print", DUE)
    assert (initiative.key_result, initiative.owner) == (krs.followers, world.member)
    assert AuditEntry.objects.filter(action="create_initiative").count() == 1
    assert AuditEntry.objects.get(action="late_work_to_initiative").after["item"] == (
        "Spring brochure print"
    )


@pytest.mark.parametrize(
    ("item", "due", "field", "message"),
    [
        ("Spring brochure print", None, "due_date", "Give the initiative a due date."),
        (
            "Spring brochure print",
            datetime.date(2026, 5, 12),
            "due_date",
            "The due date is in the past; choose a later day.",
        ),
        (
            "Spring brochure print",
            datetime.date(2026, 7, 15),
            "due_date",
            "Choose a due date within the cycle, 1 Apr 2026 to 30 Jun 2026.",
        ),
        ("Hire a designer", DUE, "item", "This check-in lists no such late work."),
    ],
)
def test_bad_late_work_input_is_refused_and_nothing_saved(
    world: World,
    krs: Krs,
    checkin: CheckIn,
    item: str,
    due: datetime.date | None,
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        late_work_to_initiative(
            world.member.user, checkin, item=item, key_result_id=krs.followers.pk, due_date=due
        )
    assert caught.value.message_dict[field] == [message]
    assert not Initiative.objects.exists()
    assert not LateWorkInitiative.objects.exists()


def test_late_work_needs_a_key_result_of_the_check_in_and_becomes_one_initiative_once(
    world: World, krs: Krs, checkin: CheckIn
) -> None:
    from tests.conftest import make_objective

    strange = make_objective(world, world.sales_head, "Sell more").key_results.get()
    with pytest.raises(ValidationError) as caught:
        late_work_to_initiative(
            world.member.user,
            checkin,
            item="Partner video edit",
            key_result_id=strange.pk,
            due_date=DUE,
        )
    assert "key_result" in caught.value.message_dict
    late_work_to_initiative(
        world.member.user,
        checkin,
        item="Partner video edit",
        key_result_id=krs.hire.pk,
        due_date=DUE,
    )
    with pytest.raises(ValidationError) as caught:
        late_work_to_initiative(
            world.member.user,
            checkin,
            item="Partner video edit",
            key_result_id=krs.hire.pk,
            due_date=DUE,
        )
    assert caught.value.message_dict["item"] == ["This late work is already an initiative."]
    assert Initiative.objects.count() == 1


def test_a_draft_late_work_waits_for_the_submission(world: World, krs: Krs) -> None:
    data = checkin_data(krs.all, ["3,000", "52", "1", "6"])
    data.late_work = LATE
    draft = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=data,
        submit=False,
    )
    with pytest.raises(ValidationError):
        late_work_to_initiative(
            world.member.user,
            draft,
            item="Partner video edit",
            key_result_id=krs.hire.pk,
            due_date=DUE,
        )
    assert not Initiative.objects.exists()


def test_an_outsider_cannot_turn_late_work_into_work(
    world: World, krs: Krs, checkin: CheckIn
) -> None:
    with pytest.raises(PermissionDenied):
        late_work_to_initiative(
            world.outsider.user,
            checkin,
            item="Partner video edit",
            key_result_id=krs.hire.pk,
            due_date=DUE,
        )
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status", "made"),
    [("admin", 302, 1), ("lead", 302, 1), ("member", 302, 1), ("outsider", 404, 0)],
)
def test_the_late_work_form_for_each_persona(
    client: Client,
    world: World,
    krs: Krs,
    checkin: CheckIn,
    persona: str,
    status: int,
    made: int,
) -> None:
    signed_in(client, getattr(world, persona))
    form = {"item": "Partner video edit", "key_result": str(krs.hire.pk), "due_date": "2026-05-29"}
    response = client.post(f"/checkins/{checkin.pk}/late-work/", form)
    assert response.status_code == status
    assert Initiative.objects.count() == made
    if made:
        page = client.get(f"/checkins/{checkin.pk}/").content.decode()
        assert "initiative, due 29 May 2026" in page


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2026-05-01", "The due date is in the past; choose a later day."),
        ("2026-08-01", "Choose a due date within the cycle, 1 Apr 2026 to 30 Jun 2026."),
        ("29/05/2026", "Enter the due date as a date."),
        ("", "Give the initiative a due date."),
    ],
)
def test_the_late_work_form_says_what_is_wrong(
    client: Client, world: World, krs: Krs, checkin: CheckIn, due: str, message: str
) -> None:
    signed_in(client, world.member)
    form = {"item": "Partner video edit", "key_result": str(krs.hire.pk), "due_date": due}
    response = client.post(f"/checkins/{checkin.pk}/late-work/", form, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Initiative.objects.exists()


def test_the_late_work_form_refuses_get(client: Client, world: World, checkin: CheckIn) -> None:
    signed_in(client, world.member)
    assert client.get(f"/checkins/{checkin.pk}/late-work/").status_code == 405
    assert client.post("/checkins/999999/late-work/").status_code == 404


def test_the_messages_speak_vietnamese(world: World, krs: Krs, checkin: CheckIn) -> None:
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        late_work_to_initiative(
            world.member.user,
            checkin,
            item="Partner video edit",
            key_result_id=krs.hire.pk,
            due_date=datetime.date(2026, 5, 1),
        )
    assert caught.value.message_dict["due_date"] == [
        "Hạn hoàn thành đã qua; hãy chọn một ngày sau."
    ]
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        submit_with_questions(world, krs, pace="nhanh lắm")
    assert caught.value.message_dict["pace"] == ["Chọn nhịp độ: nhanh, bình thường hoặc chậm."]
