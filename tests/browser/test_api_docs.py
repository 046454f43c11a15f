"""The interactive API docs load from installed files and work under the app's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_content_security_policy import REPORT_VIOLATIONS, violations_of

pytestmark = pytest.mark.browser


def test_the_api_docs_render_with_no_csp_violation_and_no_cdn(csp_page, live_server) -> None:  # type: ignore[no-untyped-def]
    page = csp_page
    messages: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda message: messages.append(message.text))
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.add_init_script(REPORT_VIOLATIONS)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/objectives")
    assert violations_of(messages) == []
    assert hosts == {live_server.url.split("/")[2]}
