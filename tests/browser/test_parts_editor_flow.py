"""#16 in a real browser: a key result is made compound in the editor (two parts, the live check
naming a bad part first), checked in part by part, and a mistaken part value is corrected."""

from __future__ import annotations

from decimal import Decimal

import pytest

from okrflow.okrs.models import KeyResult, KeyResultPart, KeyResultPartValue
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_key_result_shapes_flow import may_week  # noqa: F401 (a fixture)
from tests.conftest import World
from tests.front.test_parts_editor import seminar

pytestmark = pytest.mark.browser


def test_make_compound_check_in_part_by_part_and_correct_a_part(
    page,
    live_server,
    live_world: World,
    may_week: None,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    kr = seminar(live_world)
    sign_in(page, live_server, live_world.member.user.username)

    page.goto(f"{live_server.url}/key-results/{kr.pk}/edit/")
    page.wait_for_selector("#parts-editor")
    page.select_option("#id_combine", "weakest")
    page.fill("#id_part-0-label", "In person")
    page.fill("#id_part-0-start_value", "0")
    page.fill("#id_part-0-target_value", "300")
    page.fill("#id_part-0-unit", "guests")
    page.fill("#id_part-1-label", "Livestream")
    page.fill("#id_part-1-start_value", "0")
    page.fill("#id_part-1-target_value", "0")  # a mistake: the target equals the start
    # The people of the live world read Vietnamese: "the target must differ from the start".
    page.wait_for_selector("#live-check >> text=Phần 2: Chỉ tiêu phải khác giá trị ban đầu.")
    page.fill("#id_part-1-target_value", "5000")
    page.fill("#id_part-1-unit", "viewers")
    page.wait_for_selector("#live-check .alert-success")
    assert page.locator("#live-check .alert-error").count() == 0
    screenshot(page, "parts-editor")
    page.click("#key-result-editor button.button-primary[type='submit']")
    page.wait_for_url(f"**/objectives/{kr.objective_id}/")
    kr = KeyResult.objects.get(pk=kr.pk)
    assert kr.combine == "weakest"
    in_person, online = KeyResultPart.objects.filter(key_result=kr).order_by("position")
    assert (in_person.label, online.target_value) == ("In person", Decimal(5000))

    page.goto(f"{live_server.url}/checkins/")
    page.wait_for_selector("#submit-checkin")
    page.fill(f"#kpart-{in_person.pk}", "1800")  # a slip: 180 was meant
    page.fill(f"#kpart-{online.pk}", "2500")
    page.click(f"label[for='kr-{kr.pk}-confidence-high']")
    page.click("label[for='confidence-high']")
    page.click("#submit-checkin")
    page.wait_for_load_state()
    in_person.refresh_from_db()
    assert in_person.current_value == Decimal(1800)

    page.goto(f"{live_server.url}/objectives/{kr.objective_id}/")
    history = page.wait_for_selector(f"[data-part-history='{in_person.pk}']")
    assert history is not None
    history.click()  # opens the part's values
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    page.fill(f"#part-correct-{mistaken.pk}", "180")
    page.fill(f"#part-correct-note-{mistaken.pk}", "one zero too many")
    page.click(f"[data-part-value='{mistaken.pk}'] button[type='submit']")
    page.wait_for_selector("text=Đã sửa giá trị; giá trị nhầm vẫn được giữ trong lịch sử.")
    page.wait_for_selector(f"[data-part-value='{mistaken.pk}'].corrected", state="attached")
    correction = KeyResultPartValue.objects.get(corrects=mistaken)
    assert correction.value == Decimal(180)
    in_person.refresh_from_db()
    kr.refresh_from_db()
    assert in_person.current_value == Decimal(180)
    assert kr.current_value == Decimal(50)  # the weaker part: 2,500 of 5,000
    screenshot(page, "parts-corrected")
