"""Real Chromium (Debian's package) driven by Playwright against a live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import World, build_world

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("OKRFLOW_REQUIRE_BROWSER"):
            pytest.fail("/usr/bin/chromium is missing; .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class RequestsInFlight:
    """Count the page's requests that have started and not yet finished or failed."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.pending: set[object] = set()
        # Playwright wraps the handlers, so they must be Python functions, not bound built-ins.
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def wait_until_done(self, page, limit_ms: int = 30_000) -> None:  # type: ignore[no-untyped-def]
        """Let Playwright deliver its events until no request is in flight."""
        waited = 0
        while self.pending and waited < limit_ms:
            page.wait_for_timeout(25)  # pumps Playwright's event loop; no fixed sleep is relied on
            waited += 25
        if self.pending:
            raise AssertionError(f"{len(self.pending)} request(s) still in flight after the test")


def open_page(browser, *, bypass_csp: bool) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Yield a fresh page, closed only once every request it made has been answered."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=bypass_csp
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    in_flight = RequestsInFlight(page)
    yield page
    in_flight.wait_until_done(page)
    # Leaving the document cancels htmx's delayed triggers ("input changed delay:600ms");
    # one that fired meanwhile is waited for too.
    page.goto("about:blank")
    in_flight.wait_until_done(page)
    context.close()


# Both page fixtures depend on `transactional_db` so that their teardown runs *before* the
# database flush: a request the live server is still serving (an htmx check fired by the
# test's last keystroke) would otherwise hold locks that the flush's TRUNCATE waits on, a
# deadlock on PostgreSQL under load.


@pytest.fixture
def page(browser, live_server, transactional_db):  # type: ignore[no-untyped-def]
    # Playwright's wait_for_function polls by evaluating its predicate in the page, which the
    # app's Content-Security-Policy (no eval) refuses; test_content_security_policy.py checks
    # the pages under the policy with `csp_page`.
    yield from open_page(browser, bypass_csp=True)


@pytest.fixture
def csp_page(browser, live_server, transactional_db):  # type: ignore[no-untyped-def]
    """A page that obeys the app's Content-Security-Policy, as every real browser does."""
    yield from open_page(browser, bypass_csp=False)


@pytest.fixture
def live_world(transactional_db: None, settings) -> World:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(language="vi")


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
