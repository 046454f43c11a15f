"""The weekly check-in in a real browser: the specialist checks in, the head of marketing
comments and recognises, the specialist reads it, and compliance shows the week on time.

Counted effort for the specialist's check-in of four key results, once the page is open:
clicks and keystroke groups (typing into one field, or one key press) are tallied in `Effort`
and asserted, so a change that adds steps fails here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine

from okrflow.checkins.models import CheckIn, CheckInFeedback
from okrflow.okrs.models import KeyResultValue
from tests.browser.conftest import screenshot, sign_in
from tests.checkins.conftest import WEDNESDAY, Krs, build_history, make_member_krs
from tests.conftest import World

pytestmark = pytest.mark.browser


@dataclass
class Effort:
    clicks: int = 0
    keystroke_groups: int = 0

    def click(self, page, selector: str) -> None:  # type: ignore[no-untyped-def]
        page.click(selector)
        self.clicks += 1

    def type(self, page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
        page.fill(selector, text)
        self.keystroke_groups += 1

    def press(self, page, selector: str, key: str) -> None:  # type: ignore[no-untyped-def]
        page.press(selector, key)
        self.keystroke_groups += 1


@pytest.fixture
def may_week(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # The server lives on Wednesday 13/5/2026; the browser keeps real time, so the session
    # cookie must not carry an expiry date from the server's clock.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(WEDNESDAY, tick=True):
        yield


def shoot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Take a full-page screenshot with the viewport fitted to the page, so sticky bars sit
    where a reader sees them, then give the viewport its usual size back."""
    page.evaluate("window.scrollTo(0, 0)")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(900, height)})
    path = screenshot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})
    return path


def value_input(kr_id: int) -> str:
    return f"#kr-{kr_id}-value"


def confidence(kr_id: int, level: str) -> str:
    return f"label[for='kr-{kr_id}-confidence-{level}']"


def test_weekly_check_in_from_specialist_to_manager_and_back(
    page,
    live_server,
    live_world: World,
    may_week: None,  # type: ignore[no-untyped-def]
) -> None:
    world = live_world
    krs: Krs = make_member_krs(world)
    build_history(world, krs)  # five earlier weeks: one missed, one late

    # The specialist opens "My check-in": one screen, last week's values and confidences
    # already filled in.
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/checkins/")
    page.wait_for_selector("#submit-checkin")
    assert page.locator(".ck-kr").count() == 4
    assert page.input_value(value_input(krs.followers.pk)) == "2.500"
    assert page.input_value(value_input(krs.open_rate.pk)) == "48"
    assert page.input_value(value_input(krs.newsletter.pk)) == "5"
    assert page.is_checked(f"#kr-{krs.hire.pk}-value")  # "not done" last week
    assert page.is_checked(f"#kr-{krs.followers.pk}-confidence-high")
    assert page.is_checked(f"#kr-{krs.open_rate.pk}-confidence-medium")
    assert page.is_checked("#confidence-medium")
    shoot(page, "checkin-form-prefilled")

    effort = Effort()
    effort.type(page, value_input(krs.followers.pk), "3.100")
    effort.type(page, value_input(krs.open_rate.pk), "52,5")
    effort.click(page, f"label[for='kr-{krs.hire.pk}-value-done']")
    effort.click(page, confidence(krs.hire.pk, "high"))
    effort.type(page, value_input(krs.newsletter.pk), "6")
    effort.click(page, confidence(krs.newsletter.pk, "low"))
    effort.type(page, "#id_progress", "Hai chiến dịch đã chạy; thêm 600 người theo dõi.")
    effort.type(page, "#id_obstacles", "Nhà thiết kế nghỉ phép cả tuần.")
    effort.type(page, "#id_solutions", "Dùng mẫu có sẵn trong thư viện; xin thêm 1 cộng tác viên.")
    shoot(page, "checkin-form-filled")
    with page.expect_navigation():
        effort.press(page, value_input(krs.newsletter.pk), "Enter")  # Enter submits
    page.wait_for_selector(".ck-done-banner")
    shoot(page, "checkin-submitted")
    assert (effort.clicks, effort.keystroke_groups) == (3, 7)

    checkin = CheckIn.objects.get(person=world.member, week=datetime.date(2026, 5, 11))
    assert checkin.is_submitted
    assert checkin.week == datetime.date(2026, 5, 11)
    krs.followers.refresh_from_db()
    krs.open_rate.refresh_from_db()
    krs.hire.refresh_from_db()
    assert (krs.followers.current_value, krs.open_rate.current_value) == (3100, 52.5)
    assert krs.hire.current_value == 1
    assert KeyResultValue.objects.filter(source="checkin").count() == 4 * 6
    assert checkin.lines.get(key_result=krs.open_rate).confidence == Decimal("0.60")

    # The head of marketing sees it on the team page, comments and recognises.
    sign_in(page, live_server, "head.marketing")
    page.goto(f"{live_server.url}/checkins/team/")
    row = page.locator(f"#person-{world.member.pk}")
    row.locator(".ck-chip-on_time").wait_for()
    assert page.locator(f"#person-{world.teammate.pk} .ck-chip-on_time").count() == 0
    shoot(page, "checkin-team")
    lead_effort = Effort()
    lead_effort.click(page, f"#person-{world.member.pk} a.ck-btn")
    page.wait_for_selector("#feedback")
    lead_effort.type(
        page, "textarea[name=body]", "Tốt lắm, tuần sau mình cùng xem lại ngân sách nhé."
    )
    lead_effort.click(page, "#send-comment")
    page.wait_for_selector("text=ngân sách nhé")
    lead_effort.click(page, "#recognise")
    page.wait_for_selector(".ck-feedback-recognition")
    shoot(page, "checkin-detail-feedback")
    assert CheckInFeedback.objects.filter(checkin=checkin).count() == 2
    assert (lead_effort.clicks, lead_effort.keystroke_groups) == (3, 1)

    # The 1:1 page shows the check-in KR by KR.
    page.goto(f"{live_server.url}/checkins/1on1/{world.member.pk}/")
    page.wait_for_selector(".ck-steps")
    path = shoot(page, "checkin-one-on-one")
    page.locator(".kr-chart").first.screenshot(path=str(path.with_name("checkin-kr-chart.png")))

    # The specialist sees the comment and the recognition on their check-in page.
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/checkins/")
    page.wait_for_selector("text=ngân sách nhé")
    assert page.locator(".ck-feedback-recognition").count() == 1

    # Compliance shows the week on time.
    sign_in(page, live_server, "head.marketing")
    page.goto(f"{live_server.url}/checkins/compliance/")
    marks = page.locator(f"#compliance-{world.member.pk} .ck-mark")
    marks.first.wait_for()
    week_index = [w.strip() for w in page.locator("thead .ck-week-col").all_inner_texts()].index(
        "15/5"
    )
    assert "ck-mark-on_time" in (marks.nth(week_index).get_attribute("class") or "")
    missed = [w.strip() for w in page.locator("thead .ck-week-col").all_inner_texts()].index("17/4")
    assert "ck-mark-missed" in (marks.nth(missed).get_attribute("class") or "")
    shoot(page, "checkin-compliance")
