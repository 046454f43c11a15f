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
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
