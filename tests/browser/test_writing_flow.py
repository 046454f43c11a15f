"""Writing OKRs in a real browser: the specialist, the head of marketing and the outsider."""

from __future__ import annotations

import re

import pytest

from okrflow.okrs.models import Objective
from tests.browser.conftest import htmx_swapped, screenshot, sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser


def fill_key_result(page, index: int, title: str, shape: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    prefix = f"#id_kr-{index}"
    page.fill(f"{prefix}-title", title)
    page.select_option(f"{prefix}-shape", shape)
    for name, value in fields.items():
        if name in ("direction", "period", "currency"):
            page.select_option(f"{prefix}-{name}", value)
        else:
            page.fill(f"{prefix}-{name}", value)


def test_specialist_writes_aligns_and_finds_the_objective(
    page, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    parent = make_objective(
        live_world, live_world.marketing, "Tối ưu thứ hạng SEO cho từ khóa tư vấn thương hiệu"
    )
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/objectives/new/")
    page.fill("#id_title", "Hiểu hành vi khách hàng khi chọn dịch vụ")
    fill_key_result(
        page,
        0,
        "Khảo sát khách hàng trực tuyến",
        "metric",
        start_value="0",
        target_value="10",
        unit="khảo sát",
    )
    # The shape decides which fields show: a milestone has no start or target.
    fill_key_result(page, 1, "Hoàn thành bản phân tích hành vi khách hàng", "milestone")
    assert not page.is_visible("#id_kr-1-target_value")
    fill_key_result(page, 2, "Gửi bản tin mỗi thứ 6", "recurring", per_period="1", period="week")
    assert page.is_visible("#id_kr-2-per_period")
    page.wait_for_selector("#live-check :text('3 kết quả then chốt')")
    # Let the last live check finish: the test database (in-memory SQLite) cannot wait for a lock.
    page.wait_for_load_state("networkidle")
    screenshot(page, "editor-vi")
    page.click("button[type=submit].button-primary")
    page.wait_for_url(re.compile(r"/objectives/\d+/$"))
    objective = Objective.objects.get(title="Hiểu hành vi khách hàng khi chọn dịch vụ")
    assert objective.key_results.count() == 3

    page.click("text=Căn chỉnh vào một mục tiêu cấp trên")
    with htmx_swapped(page):
        page.fill("#parent-q", "SEO")
    page.wait_for_selector(f"input[name=parent][value='{parent.pk}']")
    page.check(f"input[name=parent][value='{parent.pk}']")
    page.click("form.editor button[type=submit]")
    page.wait_for_url(re.compile(rf"/objectives/{objective.pk}/$"))
    assert objective.parent_links.get().parent == parent

    page.goto(f"{live_server.url}/my/")
    assert page.locator("text=Hiểu hành vi khách hàng khi chọn dịch vụ").count() >= 1
    screenshot(page, "my-okrs-vi")
    page.goto(f"{live_server.url}/company/")
    tree_node = page.locator(f"#tree-objective-{parent.pk}")
    assert "Hiểu hành vi khách hàng" in tree_node.inner_text()
    screenshot(page, "company-tree-vi")


def test_sixth_objective_shows_the_focus_warning(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    for index in range(5):
        make_objective(live_world, live_world.member, f"Mục tiêu {index}")
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/objectives/new/")
    page.fill("#id_title", "Mục tiêu thứ sáu")
    fill_key_result(page, 0, "Đạt 100 khách hàng", "metric", start_value="0", target_value="100")
    warning = page.wait_for_selector(".focus-warning")
    assert "6 mục tiêu" in warning.inner_text()


def test_bad_value_shows_the_error_next_to_the_field(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/objectives/new/")
    page.fill("#id_title", "Tăng nhận diện thương hiệu")
    fill_key_result(
        page, 0, "Tăng người theo dõi", "metric", start_value="6.500", target_value="mười nghìn"
    )
    page.click("button[type=submit].button-primary")
    error = page.wait_for_selector(".field-target_value .field-error")
    assert "không phải là số" in error.inner_text()
    assert page.input_value("#id_kr-0-target_value") == "mười nghìn"
    assert page.input_value("#id_title") == "Tăng nhận diện thương hiệu"
    assert not Objective.objects.filter(title="Tăng nhận diện thương hiệu").exists()


def test_head_edits_the_specialists_objective_and_outsider_cannot(
    page, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    objective = make_objective(live_world, live_world.member, "Hiểu khách hàng")
    secret = make_objective(live_world, live_world.member, "Kế hoạch riêng", is_private=True)
    sign_in(page, live_server, "head.marketing")
    page.goto(f"{live_server.url}/units/{live_world.marketing.pk}/")
    assert page.locator("text=Hiểu khách hàng").count() >= 1
    page.goto(f"{live_server.url}/objectives/{objective.pk}/")
    page.click("a:has-text('Sửa')")
    page.fill("#id_title", "Hiểu sâu khách hàng")
    page.click("button[type=submit].button-primary")
    page.wait_for_url(re.compile(rf"/objectives/{objective.pk}/$"))
    objective.refresh_from_db()
    assert objective.title == "Hiểu sâu khách hàng"

    page.click("text=Đăng xuất")
    sign_in(page, live_server, "outsider")
    page.goto(f"{live_server.url}/objectives/{objective.pk}/")
    assert page.locator("text=Hiểu sâu khách hàng").count() >= 1
    assert page.locator(f"a[href='/objectives/{objective.pk}/edit/']").count() == 0
    response = page.goto(f"{live_server.url}/objectives/{secret.pk}/")
    assert response.status == 404


def test_language_switch_switches_the_page(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/my/")
    assert page.locator("nav.topnav").inner_text().count("OKR của tôi") == 1
    page.click("button[name=language][value=en]")
    page.wait_for_selector("nav.topnav :text('My OKRs')")
    screenshot(page, "my-okrs-en")


def test_typed_sentence_fills_the_key_result(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/objectives/new/")
    page.fill(
        "#id_kr-0-title", "Tăng nhận diện thương hiệu trong phân khúc từ 65% lên 80% trước 15/6"
    )
    page.click("#kr-0-row .parse-button")
    page.wait_for_function("document.querySelector('#id_kr-0-target_value').value === '80'")
    assert page.input_value("#id_kr-0-shape") == "percentage"
    assert page.input_value("#id_kr-0-start_value") == "65"
    assert page.input_value("#id_kr-0-due_date") == "2026-06-15"
    assert page.is_visible("#id_kr-0-start_value")
    page.fill("#id_kr-1-title", "Tổ chức hội nghị khách hàng trong tháng 4")
    page.click("#kr-1-row .parse-button")
    page.wait_for_function("document.querySelector('#id_kr-1-shape').value === 'milestone'")
    assert not page.is_visible("#id_kr-1-target_value")


def test_fill_from_sentence_starts_a_count_at_zero_and_keeps_the_due_date_in_the_cycle(
    page, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/objectives/new/")
    # A count with nothing said about its start, due after the Q2 2026 cycle ends.
    page.fill("#id_kr-0-title", "Tuyển dụng 5 lập trình viên trước 30/9")
    page.click("#kr-0-row .parse-button")
    page.wait_for_function("document.querySelector('#id_kr-0-target_value').value === '5'")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_kr-0-shape") == "metric"
    assert page.input_value("#id_kr-0-start_value") == "0"
    assert page.input_value("#id_kr-0-due_date") == "2026-06-30"
    note = page.locator("#kr-0-row .suggest-notes").inner_text()
    assert "30/09/2026" in note
    assert "30/06/2026" in note
    # A template fills nothing and says why.
    page.fill("#id_kr-1-title", "Ký kết thành công [số lượng] hợp đồng trong [thời gian]")
    page.click("#kr-1-row .parse-button")
    page.wait_for_selector("#kr-1-row .suggest-notes:has-text('[…]')")
    assert page.input_value("#id_kr-1-target_value") == ""
