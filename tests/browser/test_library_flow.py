"""The library in a real browser: import a file, fix the line the preview points at, use a template."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrflow.okrs.models import Objective
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser

PLAN = """Marketing
O: Khách hàng yêu thích bản tin của chúng ta
- KR1: Tăng tỷ lệ mở email từ 18% lên 30% trước 30/6
- KR2: Có ít nhất 500 người đăng ký mới trước 30/6
- KR3: Giảm tỷ lệ hủy đăng ký từ 2% xuống 2% trước 30/6
"""


def test_import_fix_the_reported_line_then_use_a_template(
    page, live_server, live_world: World, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "head.marketing")
    page.goto(f"{live_server.url}/library/import/")
    screenshot(page, "library-import-vi")
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    page.set_input_files("#id_file", str(plan))
    page.click("#import-form button[value=preview]")

    # The preview names the broken line and refuses to import.
    problem = page.wait_for_selector(".lib-problem-error[data-line='5']")
    assert "5" in problem.inner_text()
    assert page.is_disabled("#import-form button[value=confirm]")
    assert page.locator(".lib-plan-objective").count() == 1
    assert page.locator(".lib-plan-krs li").count() == 3
    screenshot(page, "library-import-preview-error")

    # Fix that line in the text box, check again, then import.
    page.fill("#id_text", PLAN.replace("xuống 2%", "xuống 1%"))
    page.click("#import-form button[value=preview]")
    page.wait_for_selector(".lib-ready")
    assert page.locator(".lib-problem-error").count() == 0
    screenshot(page, "library-import-preview-ready")
    page.click("#import-form button[value=confirm]")
    page.wait_for_selector(".flash")
    imported = Objective.objects.get(title="Khách hàng yêu thích bản tin của chúng ta")
    assert imported.owner_unit == live_world.marketing
    assert imported.state == "draft"
    assert [kr.shape for kr in imported.key_results.order_by("position")] == [
        "percentage",
        "threshold",
        "percentage",
    ]

    # Browse the library, open a template, and copy it for the department.
    page.goto(f"{live_server.url}/library/")
    page.wait_for_selector(".lib-card")
    screenshot(page, "library-templates-vi")
    page.click("a[href*='/library/templates/marketing_seo/']")
    page.wait_for_selector(".lib-use")
    page.select_option("#id_owner", f"unit:{live_world.marketing.pk}")
    page.select_option("#id_lang", "en")
    screenshot(page, "library-template-detail-vi")
    page.click(".lib-use button[type=submit]")
    page.wait_for_load_state()
    copied = Objective.objects.get(
        title="Bring the company website to the top SEO ranks for “brand consulting”"
    )
    assert (copied.owner_unit, copied.state) == (live_world.marketing, "draft")
    assert copied.key_results.count() == 3


def test_writing_help_checks_as_you_type(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "specialist.marketing")
    page.goto(f"{live_server.url}/library/check/")
    page.fill(
        "#id_text",
        "O: Hiểu hành vi khách hàng\n"
        "- KR1: Tổ chức hội nghị khách hàng trong tháng 4\n"
        "- KR2: Tăng tỷ lệ mở email từ 18% lên 30% trước 30/6\n",
    )
    page.click(".lib-check-form button[type=submit]")
    page.wait_for_selector("#check-results [data-rule='kr_is_activity']")
    assert page.locator("#check-results .lib-kr").count() == 2
    assert "text=" in page.url  # the check is a GET: the page can be shared or reloaded
    screenshot(page, "library-writing-help-vi")
