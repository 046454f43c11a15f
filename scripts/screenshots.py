#!/usr/bin/env python3
"""Take the README's screenshots from a running okrflow with the demo loaded.

    python3 dev.py run &            # in another terminal
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000

Uses Debian's Chromium through Playwright (nothing is downloaded) and writes docs/*.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for language, username in (("vi", "head.marketing"), ("en", "head.marketing")):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(f"{base}/sign-in/")
            page.fill("#id_username", username)
            page.fill("#id_password", "okrflow")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            current = page.locator("button[name=language]").get_attribute("value")
            if (current == "en") != (language == "vi"):
                page.click("button[name=language]")
                page.wait_for_load_state("networkidle")
            shots = {
                "my-okrs": "/my/",
                "company-tree": "/company/",
                "overview": "/",
                "editor": "/objectives/new/",
                "insights": "/insights/",
                "facts": "/insights/facts/",
                "risks": "/insights/risks/?severity=high",
            }
            objective = page.goto(f"{base}/my/") and page.locator(
                ".objective-link"
            ).first.get_attribute("href")
            if objective:
                shots["objective"] = objective
            chart = page.goto(f"{base}/insights/risks/") and page.locator(
                ".ins-risk-title a"
            ).first.get_attribute("href")
            if chart:
                shots["kr-chart"] = chart
            for name, path in shots.items():
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                target = DOCS / f"{name}-{language}.png"
                page.screenshot(path=str(target))
                print(target)
            craft_shots(page, base, language, objective)
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.context.add_cookies(page.context.cookies())
            phone_shots(phone, base, language)
            phone.close()
            page.close()
        browser.close()


def save(page, name: str, language: str, *, full_page: bool = False) -> None:  # type: ignore[no-untyped-def]
    target = DOCS / f"{name}-{language}.png"
    page.screenshot(path=str(target), full_page=full_page)
    print(target)


def craft_shots(page, base: str, language: str, objective: str | None) -> None:  # type: ignore[no-untyped-def]
    """The fixes of #15: a failed save, the history, a name search, the alignment picker."""
    page.goto(f"{base}/objectives/new/")
    page.fill("#id_title", "Hiểu khách hàng" if language == "vi" else "Know our customers")
    page.fill("#id_kr-0-title", "Khảo sát khách hàng" if language == "vi" else "Survey customers")
    page.fill("#id_kr-0-start_value", "0")
    page.fill("#id_kr-0-target_value", "nhiều" if language == "vi" else "lots")
    page.wait_for_load_state("networkidle")
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#error-summary")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    save(page, "editor-error", language)
    if objective:
        page.goto(f"{base}{objective}")
        page.click("details#history > summary")
        page.locator("details#history").scroll_into_view_if_needed()
        page.locator("details#history").screenshot(path=str(DOCS / f"history-{language}.png"))
        print(DOCS / f"history-{language}.png")
        page.goto(f"{base}{objective}align/")
        page.wait_for_load_state("networkidle")
        save(page, "align-tree", language)
    page.goto(f"{base}/search/?q=%C4%90o%C3%A0n")
    page.wait_for_load_state("networkidle")
    save(page, "search-name", language)


def phone_shots(page, base: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """A 390×844 phone: the menu, a sub-tabbed page, the check-in page's cards."""
    page.goto(f"{base}/my/")
    page.wait_for_load_state("networkidle")
    save(page, "phone-my-okrs", language)
    page.click(".menu-toggle")
    save(page, "phone-menu", language)
    for name, path in (("phone-insights", "/insights/"), ("phone-checkin", "/checkins/")):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        save(page, name, language)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
