"""My check-in page: the four personas, pre-filled values, draft, submit, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from okrflow.checkins.models import CheckIn, CheckInState
from okrflow.cycles.models import CycleState
from okrflow.okrs.models import KeyResultValue
from tests.checkins.conftest import LAST_WEEK, WEEK, Krs, signed_in, submit_member_checkin
from tests.conftest import World, make_objective

URL = "/checkins/"


def form(krs: Krs, values: list[str], action: str = "submit", **extra: str) -> dict[str, str]:
    data = {"cycle": "", "week": WEEK.isoformat(), "action": action}
    for kr, value in zip(krs.all, values, strict=True):
        data[f"kr-{kr.pk}-value"] = value
        data[f"kr-{kr.pk}-confidence"] = "medium"
        data[f"kr-{kr.pk}-note"] = ""
    data |= {
        "progress": "Moving",
        "obstacles": "None",
        "solutions": "Keep on",
        "confidence": "high",
    }
    return data | extra


def post(client: Client, world: World, data: dict[str, str]):  # type: ignore[no-untyped-def]
    data["cycle"] = str(world.cycle.pk)
    return client.post(URL, data)


@pytest.mark.parametrize(
    ("persona", "rows"), [("admin", 0), ("lead", 0), ("member", 4), ("outsider", 0)]
)
def test_every_persona_sees_their_own_check_in(
    client: Client, world: World, krs: Krs, persona: str, rows: int
) -> None:
    response = signed_in(client, getattr(world, persona)).get(URL)
    assert response.status_code == 200
    assert len(response.context["rows"]) == rows
    page = response.content.decode()
    # Only someone with key results in the cycle owes this week's check-in (due Friday 15/5).
    assert ("15 May" in page) is bool(rows)
    assert ("so no check-in is due" in page) is not bool(rows)


def test_anonymous_is_sent_to_sign_in(client: Client, world: World, krs: Krs) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_wrong_method(client: Client, world: World, krs: Krs) -> None:
    assert signed_in(client, world.member).put(URL).status_code == 405


def test_last_weeks_values_are_pre_filled(client: Client, world: World, krs: Krs) -> None:
    page = signed_in(client, world.member).get(URL).content.decode()
    assert (
        f'id="kr-{krs.followers.pk}-value" name="kr-{krs.followers.pk}-value" value="2,500"' in page
    )
    assert f'name="kr-{krs.newsletter.pk}-value" value="5"' in page


def test_submit_then_the_page_shows_the_submitted_check_in(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.member)
    response = post(client, world, form(krs, ["3,000", "50", "1", "6"]))
    assert response.status_code == 302
    assert f"week={WEEK.isoformat()}" in response["Location"]
    checkin = CheckIn.objects.get()
    assert checkin.state == CheckInState.SUBMITTED
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("3000")
    page = client.get(response["Location"]).content.decode()
    assert "Checked in for this week." in page
    assert "Check-in submitted. Thank you!" in page


def test_draft_is_saved_and_comes_back(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.member)
    response = post(client, world, form(krs, ["2,700", "", "0", "5"], action="draft"))
    assert response.status_code == 302
    draft = CheckIn.objects.get()
    assert draft.state == CheckInState.DRAFT
    assert draft.lines.get(key_result=krs.followers).value == Decimal("2700")
    page = client.get(URL).content.decode()
    assert 'value="2,700"' in page
    assert "Draft saved" in page


@pytest.mark.parametrize(
    ("index", "typed", "message"),
    [
        (0, "lots", "“lots” is not a number."),
        (2, "2", "A milestone is either done or not done."),
        (3, "2.5", "Count the times as a whole number"),
    ],
)
def test_bad_value_rerenders_with_the_error_and_keeps_what_was_typed(
    client: Client, world: World, krs: Krs, index: int, typed: str, message: str
) -> None:
    values = ["3,000", "50", "1", "6"]
    values[index] = typed
    before = KeyResultValue.objects.count()
    response = post(signed_in(client, world.member), world, form(krs, values))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page or "is-invalid" in page
    assert "Moving" in page  # the progress text survives
    if krs.all[index].shape != "milestone":
        assert f'value="{typed}"' in page
    assert not CheckIn.objects.exists()
    assert KeyResultValue.objects.count() == before


def test_missing_confidence_is_explained_next_to_the_key_result(
    client: Client, world: World, krs: Krs
) -> None:
    data = form(krs, ["3,000", "50", "1", "6"])
    data[f"kr-{krs.hire.pk}-confidence"] = ""
    response = post(signed_in(client, world.member), world, data)
    assert response.status_code == 200
    assert "Choose how confident you are." in response.content.decode()
    assert response.context["rows"][2].confidence_errors


def test_second_check_in_for_the_week_is_refused_with_a_message(
    client: Client, world: World, krs: Krs
) -> None:
    submit_member_checkin(world, krs)
    response = post(signed_in(client, world.member), world, form(krs, ["9", "9", "1", "9"]))
    assert response.status_code == 200
    assert "already submitted" in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_closed_cycle_is_refused_with_a_message(client: Client, world: World, krs: Krs) -> None:
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    response = post(signed_in(client, world.member), world, form(krs, ["1", "1", "1", "1"]))
    assert response.status_code == 200
    assert "is closed" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_someone_elses_key_result_is_refused(client: Client, world: World, krs: Krs) -> None:
    stranger = make_objective(world, world.sales_head, "Sell more").key_results.get()
    data = form(krs, ["1", "1", "1", "1"]) | {f"kr-{stranger.pk}-value": "99"}
    response = post(signed_in(client, world.member), world, data)
    assert response.status_code == 403
    assert "you cannot check in on it" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_earlier_week_is_open_for_a_late_check_in_but_not_a_later_one(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.member)
    response = client.get(f"{URL}?week={LAST_WEEK.isoformat()}")
    assert response.status_code == 200
    assert response.context["week"].start == LAST_WEEK
    assert "week of 4/5" in response.content.decode().lower() or response.context["missed"]
    assert client.get(f"{URL}?week=2026-05-18").status_code == 404
    assert client.get(f"{URL}?week=2026-05-12").status_code == 404
    assert client.get(f"{URL}?week=garbage").status_code == 200


def test_missed_weeks_are_listed(client: Client, world: World, krs: Krs) -> None:
    response = signed_in(client, world.member).get(URL)
    assert [w.start for w in response.context["missed"]][-1] == LAST_WEEK
    assert response.context["missed_earlier"] == 3  # six past weeks, three shown


def test_vietnamese_page_for_a_vietnamese_reader(client: Client, world: World, krs: Krs) -> None:
    world.member.language = "vi"
    world.member.save()
    response = signed_in(client, world.member).get(URL)
    assert response["Content-Language"] == "vi"
    assert 'value="2.500"' in response.content.decode()
