"""The Vietnamese practice's check-in questions in a real browser (#16): the specialist says which
work will be late and that their pace is slow, turns the late item into an initiative with a due
date, and the risk list shows the slow pace behind progress as a risk."""

from __future__ import annotations

import datetime

import pytest

from okrflow.checkins.models import CheckIn, LateWorkInitiative
from okrflow.okrs.models import Initiative
from tests.browser.conftest import sign_in
from tests.browser.test_checkin_flow import may_week, shoot, value_input
from tests.checkins.conftest import Krs, build_history, make_member_krs
from tests.conftest import World

pytestmark = pytest.mark.browser
__all__ = ["may_week"]  # the fixture, imported for this module's tests

LATE = "In tờ rơi mùa xuân"


def test_late_work_and_a_slow_pace_become_an_initiative_and_a_risk(
    page,
    live_server,
    live_world: World,
    may_week: None,  # type: ignore[no-untyped-def]
) -> None:
    world = live_world
    krs: Krs = make_member_krs(world)
    build_history(world, krs)  # followers at 2,500 of 10,000 by 8/5: well behind the pace line

    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/checkins/")
    page.wait_for_selector("#submit-checkin")
    page.fill(value_input(krs.followers.pk), "2.600")
    page.fill("#id_late_work", LATE)
    page.click("label[for='pace-slow']")
    assert page.is_checked("#pace-slow")
    with page.expect_navigation():
        page.click("#submit-checkin")
    page.wait_for_selector(".ck-done-banner")
    checkin = CheckIn.objects.get(person=world.member, week=datetime.date(2026, 5, 11))
    assert (checkin.pace, checkin.late_work) == ("slow", LATE)
    assert page.locator("[data-pace='slow']").count() == 1

    # One step: the late item, the key result it delays and a due date become an initiative.
    item = page.locator("[data-late-item]").filter(has_text=LATE)
    item.locator("select[name=key_result]").select_option(str(krs.followers.pk))
    item.locator("input[name=due_date]").fill("2026-05-29")
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    page.locator("[data-late-initiative]").wait_for()
    assert "hạn 29/5" in page.locator("[data-late-initiative]").inner_text()
    shoot(page, "checkin-late-work-initiative")
    initiative = Initiative.objects.get()
    assert (initiative.title, initiative.due_date) == (LATE, datetime.date(2026, 5, 29))
    assert initiative.key_result_id == krs.followers.pk
    assert LateWorkInitiative.objects.get().checkin_id == checkin.pk

    # The risk list reads the slow pace next to the followers' progress.
    page.goto(f"{live_server.url}/insights/risks/")
    risk = page.locator(".risk, li, article").filter(has_text="nhịp độ “chậm”").first
    risk.wait_for()
    assert "Reach 10,000 fanpage followers" in page.content()
    shoot(page, "checkin-slow-pace-risk")
