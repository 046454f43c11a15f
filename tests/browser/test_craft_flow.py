"""What a new user trips over (#15), walked in Chromium in both languages and on a phone."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine

from okrflow.okrs.actions import align_objective, record_key_result_value
from okrflow.okrs.models import Objective
from okrflow.org.actions import create_person
from okrflow.org.models import Person
from tests.browser.conftest import htmx_swapped, screenshot, sign_in
from tests.checkins.conftest import WEDNESDAY, make_member_krs, submit_member_checkin
from tests.conftest import PASSWORD, World, make_objective

pytestmark = pytest.mark.browser

TEXTS = {
    "vi": {
        "count": "1 kết quả then chốt",
        "summary": "Chưa lưu",
        "history": "Lịch sử thay đổi",
        "values": "đã ghi 3 giá trị",
        "number": "10.000 → 8.000",
        "people": "Nhân sự",
    },
    "en": {
        "count": "1 key result",
        "summary": "Not saved",
        "history": "Change history",
        "values": "recorded 3 values",
        "number": "10,000 → 8,000",
        "people": "People",
    },
}


def set_language(world: World, language: str) -> None:
    Person.objects.update(language=language)


def history_world(world: World) -> Objective:
    objective = make_objective(world, world.member, "Tăng doanh thu kênh online")
    kr = objective.key_results.get()
    kr.target_value = Decimal("10000")
    kr.start_value = Decimal("0")
    kr.shape = "metric"
    kr.unit = "đơn"
    kr.current_value = Decimal("10000")
    kr.save()
    for value in ("1234.5", "9000", "8000"):
        record_key_result_value(
            world.member.user, kr, value=Decimal(value), measured_on=datetime.date(2026, 6, 1)
        )
    return objective


@pytest.mark.parametrize("language", ["vi", "en"])
def test_failed_save_history_search_and_alignment(
    page, live_server, live_world: World, language: str
) -> None:  # type: ignore[no-untyped-def]
    texts = TEXTS[language]
    set_language(live_world, language)
    objective = history_world(live_world)
    company = make_objective(live_world, live_world.company, "Dẫn đầu thị trường")
    marketing = make_objective(live_world, live_world.marketing, "Tối ưu SEO thương hiệu")
    align_objective(None, marketing, company)
    create_person(
        None,
        username="doan.minh",
        full_name="Đoàn Minh",
        password=PASSWORD,
        unit=live_world.sales,
        language=language,
    )
    sign_in(page, live_server, "specialist.marketing")

    # 1. A failed save: a summary at the top, focus on the first error, the checks kept.
    page.goto(f"{live_server.url}/objectives/new/")
    page.fill("#id_title", "Hiểu khách hàng")
    page.fill("#id_kr-0-title", "Khảo sát khách hàng")
    page.fill("#id_kr-0-start_value", "0")
    page.fill("#id_kr-0-target_value", "nhiều")
    page.wait_for_load_state("networkidle")
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#error-summary")
    assert texts["summary"] in page.inner_text("#error-summary")
    assert page.evaluate("document.activeElement.id") == "id_kr-0-target_value"
    summary_top = page.locator("#error-summary").bounding_box()
    assert summary_top is not None and summary_top["y"] < 400
    assert texts["count"] in page.inner_text("#live-check")
    assert Objective.objects.filter(title="Hiểu khách hàng").count() == 0
    screenshot(page, f"editor-error-{language}")

    # 2. The change history: sentences, a week's values on one line, collapsed at first.
    page.goto(f"{live_server.url}/objectives/{objective.pk}/")
    history = page.locator("details#history")
    assert history.get_attribute("open") is None
    page.click("details#history > summary")
    text = history.inner_text()
    assert texts["history"] in text
    assert texts["values"] in text
    assert texts["number"] in text
    for code in ("record_key_result_value", "current_value", "create_objective", "E+"):
        assert code not in text
    assert page.locator("details#history li", has_text=texts["values"]).count() == 1
    screenshot(page, f"history-{language}")

    # 5. Search: the person called Đoàn comes before objectives matching "doanh".
    page.goto(f"{live_server.url}/search/?q=%C4%90o%C3%A0n")
    headings = page.locator(".browse-section-title").all_inner_texts()
    assert headings[0].startswith(texts["people"])
    assert "Đoàn Minh" in page.inner_text("#found-people + ul")
    screenshot(page, f"search-name-{language}")

    # 6. The alignment picker: parents under their units, as the tree.
    page.goto(f"{live_server.url}/objectives/{objective.pk}/align/")
    groups = page.locator(".parent-group .parent-unit").all_inner_texts()
    assert groups[:2] == ["Sao Viet", "Marketing"]
    assert page.locator(".parent-depth-1", has_text="Tối ưu SEO thương hiệu").count() == 1
    with htmx_swapped(page):
        page.fill("#parent-q", "seo")
    page.wait_for_selector(".parent-group:has-text('Marketing')")
    assert "Dẫn đầu thị trường" not in page.inner_text("#parent-results")
    screenshot(page, f"align-tree-{language}")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_phone_header_menu_tabs_and_cards(
    browser, server_gate, live_server, live_world: World, language: str
) -> None:  # type: ignore[no-untyped-def]
    set_language(live_world, language)
    server_gate.open()
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "head.marketing")
        page.goto(f"{live_server.url}/my/")
        header = page.locator(".topbar").bounding_box()
        assert header is not None and header["height"] < 60  # compact: one row
        assert page.is_visible(".menu-toggle")
        assert not page.is_visible(".topnav")
        page.click(".menu-toggle")
        assert page.is_visible(".topnav a[href='/insights/']")
        screenshot(page, f"phone-menu-{language}")
        page.goto(f"{live_server.url}/insights/")
        tabs = page.locator(".ins-tabs")
        if tabs.count():
            # Every sub-tab is on screen: they wrap instead of running past the edge.
            width = page.evaluate("document.querySelector('.ins-tabs').scrollWidth")
            assert width <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, f"phone-insights-{language}")
    finally:
        context.close()
        server_gate.shut_and_drain()


def test_an_admins_header_stays_one_row_on_a_laptop_in_vietnamese(
    browser, server_gate, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    # Ten entries in Vietnamese (the admin's "Quản trị" too) and a long name, at 1280 px wide.
    set_language(live_world, "vi")
    Person.objects.filter(pk=live_world.admin.pk).update(full_name="Phạm Minh Tuấn Anh")
    server_gate.open()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, live_world.admin.user.username)
        page.goto(f"{live_server.url}/administration/")
        page.wait_for_load_state("networkidle")
        header = page.locator(".topbar").bounding_box()
        assert header is not None and header["height"] < 60, header
        sign_out = page.locator(".topbar-right .link-button").bounding_box()
        assert sign_out is not None and sign_out["height"] < 30, sign_out  # not split in two lines
    finally:
        context.close()
        server_gate.shut_and_drain()


WRITTEN = {
    # The check-in was submitted at 10:00 on Wednesday 13 May 2026 (Hồ Chí Minh City).
    "vi": {
        "when": "13/05 10:00",
        "value": "3.000",
        "me": "(tôi)",
        "none": "Không có rủi ro",
        "hint": "gõ “dao” cũng tìm thấy “Đào”",
    },
    "en": {
        "when": "13 May, 10:00",
        "value": "3,000",
        "me": "(me)",
        "none": "No risk matches",
        "hint": "“dao” also finds “Đào”",
    },
}
US_DATE = re.compile(r"\b05/13\b|\d [ap]\.m\.|2026-05-13")


@pytest.fixture
def may_week(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # The server lives on Wednesday 13/5/2026; the browser keeps real time (see test_checkin_flow).
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(WEDNESDAY, tick=True):
        yield


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_numbers_and_words_on_a_phone(
    browser, server_gate, live_server, live_world: World, may_week: None, language: str
) -> None:  # type: ignore[no-untyped-def]
    written = WRITTEN[language]
    set_language(live_world, language)
    krs = make_member_krs(live_world)
    submit_member_checkin(live_world, krs, values=["3000", "52", "1", "6"])
    server_gate.open()
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "specialist.marketing")

        # The "already checked in" card stacks on a phone; its time reads as the language does.
        page.goto(f"{live_server.url}/checkins/")
        page.wait_for_load_state("networkidle")
        main = page.inner_text(".ck-main")
        assert f" {written['when']}" in main
        assert not US_DATE.search(main)
        words = page.locator(".ck-done-banner strong").bounding_box()
        assert words is not None and words["width"] > 200  # not one word a line
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, f"phone-checkin-{language}")

        # Numbers through the same path: the key result's value with the language's separators.
        page.goto(f"{live_server.url}/objectives/{krs.followers.objective_id}/")
        assert written["value"] in page.inner_text("main")

        # "(me)" in the owner list is in the person's language.
        page.goto(f"{live_server.url}/objectives/new/")
        owners = page.eval_on_selector_all("#id_owner option", "els => els.map(e => e.text)")
        assert any(owner.endswith(written["me"]) for owner in owners)

        # The no-result hint tells what the search does: "dao" finds "Đào" too.
        page.goto(f"{live_server.url}/search/?q=zzqq")
        assert written["hint"] in page.inner_text("main")

        # An empty risk filter says nothing matched, not that every key result is on course.
        page.goto(f"{live_server.url}/insights/risks/?severity=low&kind=sudden")
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-risk-none=filtered]").count() == 1
        assert written["none"] in page.inner_text(".ins-none")
    finally:
        context.close()
        server_gate.shut_and_drain()
