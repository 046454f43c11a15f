"""#16 in a real browser: the seminar's compound key result is checked in part by part, and the
newsletter's slot strip shows the Friday that was missed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine

from okrflow.okrs.models import KeyResultPart
from tests.browser.conftest import screenshot, sign_in
from tests.checkins.conftest import WEDNESDAY
from tests.checkins.test_key_result_shapes_pages import seminar_and_newsletter
from tests.conftest import World

pytestmark = pytest.mark.browser


@pytest.fixture
def may_week(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(WEDNESDAY, tick=True):
        yield


def test_compound_check_in_part_by_part_and_a_missed_friday(
    page,
    live_server,
    live_world: World,
    may_week: None,  # type: ignore[no-untyped-def]
) -> None:
    seminar, newsletter = seminar_and_newsletter(live_world)
    in_person, online = KeyResultPart.objects.filter(key_result=seminar).order_by("position")
    sign_in(page, live_server, live_world.member.user.username)

    page.goto(f"{live_server.url}/checkins/")
    page.wait_for_selector("#submit-checkin")
    assert page.locator(f"#kr-{seminar.pk}-value").count() == 0
    page.fill(f"#kpart-{in_person.pk}", "180")
    page.fill(f"#kpart-{online.pk}", "2500")
    page.click(f"label[for='kr-{seminar.pk}-confidence-high']")
    page.click(f"label[for='kr-{newsletter.pk}-confidence-medium']")
    page.click("label[for='confidence-high']")
    page.click("#submit-checkin")
    page.wait_for_load_state()
    screenshot(page, "key-result-shapes-checkin")
    in_person.refresh_from_db()
    online.refresh_from_db()
    assert (in_person.current_value, online.current_value) == (Decimal(180), Decimal(2500))
    seminar.refresh_from_db()
    assert seminar.current_value == Decimal(50)  # the weaker part: 2,500 of 5,000

    page.goto(f"{live_server.url}/objectives/{seminar.objective_id}/")
    page.wait_for_selector(f"[data-kr-parts='{seminar.pk}'] [data-part='{online.pk}']")
    assert page.inner_text(f"[data-part='{online.pk}'] [data-part-progress]").startswith("50")
    missed = page.wait_for_selector(".slot-strip [data-slot='2026-05-08']")
    assert missed is not None and missed.get_attribute("data-mark") == "missed"
    met = page.locator(".slot-strip [data-slot='2026-04-17']")
    assert met.get_attribute("data-mark") == "met"
    # 1/5 is Labour Day (and 30/4 Reunification Day): that Friday's slot moved to 29/4.
    assert "29/4" in page.locator(".slot-strip [data-slot='2026-05-01']").inner_text()
    screenshot(page, "key-result-shapes-strip")
