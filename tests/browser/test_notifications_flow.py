"""The agreement loop told through notifications, in a real browser (issue #13's done-when).

The specialist proposes; the head of marketing sees the count in the top bar and the inbox
entry, sends the proposal back with a comment; the specialist sees the notification and the
comment on My OKRs, edits the objective and proposes again; the head agrees; the specialist is
told. The people read Vietnamese.
"""

from __future__ import annotations

import re

import pytest

from okrflow.notifications.models import Notification
from okrflow.okrs.models import ObjectiveState
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World, make_objective
from tests.webhooks.conftest import embedded_queue  # noqa: F401

# `embedded_queue`: the emails this flow enqueues go to the test's own folder, not var/.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("embedded_queue")]

COMMENT = "Thêm một kết quả then chốt về khách quay lại"


def unread_badge(page) -> str:  # type: ignore[no-untyped-def]
    badge = page.locator("#notifications-badge .notifications-count")
    return badge.get_attribute("data-unread") if badge.count() else "0"


def test_propose_send_back_edit_propose_agree(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    objective = make_objective(
        live_world, live_world.member, "Hiểu khách hàng", state=ObjectiveState.DRAFT
    )
    detail = f"{live_server.url}/objectives/{objective.pk}/"

    sign_in(page, live_server, "specialist.marketing")
    page.goto(detail)
    page.click(f"form[action='/objectives/{objective.pk}/propose/'] button")
    page.wait_for_selector(".alert-success")

    sign_in(page, live_server, "head.marketing")
    assert unread_badge(page) == "1"
    page.click("#notifications-badge")
    page.wait_for_url(re.compile(r"/notifications/$"))
    entry = page.locator(".notification").first
    assert "Specialist Marketing đã đề xuất “Hiểu khách hàng”" in entry.inner_text()
    screenshot(page, "notifications-inbox-vi")
    entry.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/objectives/{objective.pk}/"))
    page.fill("#review-comment", COMMENT)
    page.click("button[formaction$='/return/']")
    page.wait_for_selector(".alert-success")
    objective.refresh_from_db()
    assert objective.state == ObjectiveState.DRAFT

    sign_in(page, live_server, "specialist.marketing")
    assert unread_badge(page) == "1"
    page.goto(f"{live_server.url}/notifications/")
    entry = page.locator(".notification-unread").first
    assert "Head Marketing đã trả lại mục tiêu “Hiểu khách hàng”" in entry.inner_text()
    assert COMMENT in entry.inner_text()
    entry.locator("button[type=submit]").click()  # mark read, through htmx
    page.wait_for_selector(".notification-unread", state="detached")
    assert unread_badge(page) == "0"
    page.goto(f"{live_server.url}/my/")
    notice = page.locator(f"#sent-back-{objective.pk}")
    assert COMMENT in notice.inner_text()
    screenshot(page, "my-okrs-sent-back-vi")

    page.goto(f"{detail}edit/")
    page.fill("#id_title", "Hiểu khách hàng quay lại")
    page.click("button[type=submit].button-primary")
    page.wait_for_url(re.compile(rf"/objectives/{objective.pk}/$"))
    page.click(f"form[action='/objectives/{objective.pk}/propose/'] button")
    page.wait_for_selector(".alert-success")

    sign_in(page, live_server, "head.marketing")
    assert unread_badge(page) == "1"  # the first was read when its link was followed
    page.goto(detail)
    page.click("button[formaction$='/agree/']")
    page.wait_for_selector(".alert-success")

    sign_in(page, live_server, "specialist.marketing")
    assert unread_badge(page) == "1"
    page.goto(f"{live_server.url}/notifications/?show=unread")
    (agreed,) = page.locator(".notification").all()
    assert "đã đồng ý mục tiêu “Hiểu khách hàng quay lại”" in agreed.inner_text()
    kinds = list(
        Notification.objects.filter(recipient=live_world.member)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["proposal_sent_back", "proposal_agreed"]
