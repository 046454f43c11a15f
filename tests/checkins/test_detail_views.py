"""One check-in's page, comments (htmx and plain), recognition, corrections, history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from okrflow.checkins.models import CheckIn, CheckInFeedback, FeedbackKind
from tests.checkins.conftest import Krs, signed_in, submit_member_checkin
from tests.conftest import World

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def checkin(world: World, krs: Krs) -> CheckIn:
    return submit_member_checkin(world, krs)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404), ("teammate", 404)],
)
def test_detail_for_each_persona(
    client: Client, world: World, checkin: CheckIn, persona: str, status: int
) -> None:
    response = signed_in(client, getattr(world, persona)).get(f"/checkins/{checkin.pk}/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "The designer is on leave" in page
        assert "3,000" in page


def test_detail_wrong_method_and_unknown(client: Client, world: World, checkin: CheckIn) -> None:
    signed_in(client, world.member)
    assert client.post(f"/checkins/{checkin.pk}/").status_code == 405
    assert client.get("/checkins/999999/").status_code == 404


def test_only_managers_see_the_recognise_button(
    client: Client, world: World, checkin: CheckIn
) -> None:
    assert (
        'id="recognise"'
        in signed_in(client, world.lead).get(f"/checkins/{checkin.pk}/").content.decode()
    )
    client.logout()
    assert (
        'id="recognise"'
        not in signed_in(client, world.member).get(f"/checkins/{checkin.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 302), ("outsider", 404)]
)
def test_comment_for_each_persona(
    client: Client, world: World, checkin: CheckIn, persona: str, status: int
) -> None:
    url = f"/checkins/{checkin.pk}/comment/"
    response = signed_in(client, getattr(world, persona)).post(url, {"body": "Nice numbers"})
    assert response.status_code == status
    assert CheckInFeedback.objects.filter(body="Nice numbers").exists() is (status == 302)


def test_comment_with_htmx_swaps_the_feedback_in_place(
    client: Client, world: World, checkin: CheckIn
) -> None:
    signed_in(client, world.lead)
    response = client.post(f"/checkins/{checkin.pk}/comment/", {"body": "Let us talk"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="ck-card ck-feedback" id="feedback"')
    assert "Let us talk" in page
    empty = client.post(f"/checkins/{checkin.pk}/comment/", {"body": "  "}, **HTMX)
    assert empty.status_code == 200
    assert "Write a comment first." in empty.content.decode()
    assert CheckInFeedback.objects.count() == 1


def test_comment_errors_without_htmx_come_back_as_messages(
    client: Client, world: World, checkin: CheckIn
) -> None:
    signed_in(client, world.lead)
    response = client.post(f"/checkins/{checkin.pk}/comment/", {"body": ""}, follow=True)
    assert "Write a comment first." in response.content.decode()
    assert not CheckInFeedback.objects.exists()
    assert client.get(f"/checkins/{checkin.pk}/comment/").status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 403), ("outsider", 404)]
)
def test_recognise_for_each_persona(
    client: Client, world: World, checkin: CheckIn, persona: str, status: int
) -> None:
    response = signed_in(client, getattr(world, persona)).post(f"/checkins/{checkin.pk}/recognise/")
    assert response.status_code == status
    saved = CheckInFeedback.objects.filter(kind=FeedbackKind.RECOGNITION)
    assert saved.exists() is (status == 302)


def test_recognition_by_htmx_and_the_person_sees_it(
    client: Client, world: World, checkin: CheckIn
) -> None:
    signed_in(client, world.lead)
    response = client.post(f"/checkins/{checkin.pk}/recognise/", {"body": ""}, **HTMX)
    assert "ck-feedback-recognition" in response.content.decode()
    client.logout()
    page = signed_in(client, world.member).get("/checkins/").content.decode()
    assert "Well done!" in page
    assert "Head Marketing" in page


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_correct_form_for_each_persona(
    client: Client, world: World, checkin: CheckIn, persona: str, status: int
) -> None:
    response = signed_in(client, getattr(world, persona)).get(f"/checkins/{checkin.pk}/correct/")
    assert response.status_code == status
    if status == 200:
        assert 'value="3,000"' in response.content.decode()


def correction_form(krs: Krs, values: list[str]) -> dict[str, str]:
    data = {"progress": "Fixed", "obstacles": "", "solutions": "", "confidence": "medium"}
    for kr, value in zip(krs.all, values, strict=True):
        data[f"kr-{kr.pk}-value"] = value
        data[f"kr-{kr.pk}-confidence"] = "high"
    return data


def test_correction_adds_an_entry_and_keeps_the_first(
    client: Client, world: World, krs: Krs, checkin: CheckIn
) -> None:
    signed_in(client, world.member)
    response = client.post(
        f"/checkins/{checkin.pk}/correct/", correction_form(krs, ["3,200", "52", "1", "6"])
    )
    assert response.status_code == 302
    correction = CheckIn.objects.get(corrects=checkin)
    assert response["Location"] == f"/checkins/{correction.pk}/"
    checkin.refresh_from_db()
    assert checkin.lines.get(key_result=krs.followers).value == Decimal("3000")
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("3200")
    old_page = client.get(f"/checkins/{checkin.pk}/").content.decode()
    assert "This entry was corrected later." in old_page
    assert "Correct</a>" not in old_page.split("ck-head-actions")[1].split("</div>")[0]
    history = client.get("/checkins/history/").content.decode()
    assert "corrected later" in history


def test_bad_correction_rerenders_and_saves_nothing(
    client: Client, world: World, krs: Krs, checkin: CheckIn
) -> None:
    signed_in(client, world.member)
    response = client.post(
        f"/checkins/{checkin.pk}/correct/", correction_form(krs, ["oops", "52", "1", "6"])
    )
    assert response.status_code == 200
    assert "“oops” is not a number." in response.content.decode()
    assert CheckIn.objects.count() == 1
    assert client.put(f"/checkins/{checkin.pk}/correct/").status_code == 405


def test_a_draft_opens_my_check_in_instead_of_a_correction(
    client: Client, world: World, krs: Krs
) -> None:
    from okrflow.checkins.actions import record_checkin
    from tests.checkins.conftest import WEEK, checkin_data

    draft = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data(krs.all, ["1", "1", "1", "1"]),
        submit=False,
    )
    response = signed_in(client, world.member).get(f"/checkins/{draft.pk}/correct/")
    assert response.status_code == 302
    assert response["Location"].startswith("/checkins/?cycle=")


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_person_history_for_each_persona(
    client: Client, world: World, checkin: CheckIn, persona: str, status: int
) -> None:
    response = signed_in(client, getattr(world, persona)).get(
        f"/checkins/people/{world.member.pk}/"
    )
    assert response.status_code == status
    if status == 200:
        assert response.context["entries"] == [checkin]


def test_my_history_and_wrong_method(client: Client, world: World, checkin: CheckIn) -> None:
    signed_in(client, world.member)
    assert client.get("/checkins/history/").context["entries"] == [checkin]
    assert client.post("/checkins/history/").status_code == 405
