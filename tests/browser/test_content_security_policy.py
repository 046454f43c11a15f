"""Every main page works under the Content-Security-Policy: Chromium reports no violation."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from okrflow.library.catalog import all_templates
from tests.browser.conftest import sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser

# Chromium writes each blocked script, style or request to the console; the listener below also
# reports the ones a page's own event would (securitypolicyviolation).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def violations_of(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "CSP violation" in m]


def test_the_main_pages_report_no_csp_violation(csp_page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    page = csp_page
    User.objects.filter(pk=live_world.admin.user_id).update(is_staff=True, is_superuser=True)
    objective = make_objective(live_world, live_world.marketing, "Own the SEO for brand consulting")
    key_result = objective.key_results.get()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(REPORT_VIOLATIONS)

    sign_in(page, live_server, "admin")

    pages = [
        "/",
        "/my/",
        "/company/",
        "/people/",
        f"/people/{live_world.lead.pk}/",
        f"/units/{live_world.marketing.pk}/",
        "/search/?q=seo",
        "/agreements/",
        f"/objectives/{objective.pk}/",
        f"/objectives/{objective.pk}/edit/",
        f"/key-results/{key_result.pk}/edit/",
        "/checkins/",
        "/checkins/team/",
        "/checkins/compliance/",
        "/insights/",
        "/insights/facts/",
        "/insights/risks/",
        f"/insights/units/{live_world.marketing.pk}/",
        f"/insights/key-results/{key_result.pk}/",
        f"/insights/cycles/{live_world.cycle.pk}/review/",
        "/library/",
        "/library/quality/",
        "/library/import/",
        "/library/export/",
        "/admin/",
        "/admin/org/orgunit/",
        f"/admin/org/orgunit/{live_world.marketing.pk}/change/",
        "/admin/axes/accessattempt/",
        f"/library/templates/{all_templates()[0].key}/",
    ]
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations_of(messages) == []

    # The editor's scripts: a shape change shows its fields, "add a key result" (htmx) adds a row.
    page.goto(f"{live_server.url}/objectives/new/")
    page.select_option("#id_kr-0-shape", "milestone")
    assert not page.is_visible("#id_kr-0-target_value")
    rows = page.locator(".kr-row").count()
    page.click("#add-kr")
    expect(page.locator(".kr-row")).to_have_count(rows + 1)
    assert page.input_value("#kr-count") == str(rows + 1)
    page.wait_for_load_state("networkidle")
    # The cycle picker submits its form on change without an inline handler.
    page.goto(f"{live_server.url}/checkins/compliance/")
    with page.expect_navigation(url=re.compile(r"cycle=")):
        page.select_option("#ck-cycle", str(live_world.cycle.pk))
    page.wait_for_load_state("networkidle")
    assert violations_of(messages) == []

    # The check itself sees a violation when there is one: an inline script is blocked.
    with page.expect_console_message(lambda message: bool(violations_of([message.text]))):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
            " document.head.appendChild(s); }"
        )
    assert page.evaluate("() => window.ran") is None
    assert violations_of(messages) != []
