"""Real Chromium (Debian's package) driven by Playwright against a live server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, World, build_world

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


class ServerGate:
    """Let the live server's requests reach Django only while a browser test runs.

    A page's last htmx request can still be in the server when the test ends: the browser
    aborts it when the page closes, but the server goes on (or only now starts on it), and
    its queries against the flush's TRUNCATE deadlocked on PostgreSQL under load. Between
    tests the gate is shut: a request already inside Django is waited for, one arriving later
    gets a 503 without touching the database.
    """

    def __init__(self, application: Any) -> None:
        self.application = application
        self.changed = threading.Condition()
        self.is_open = True
        self.in_flight = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.changed:
            if not self.is_open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"between tests"]
            self.in_flight += 1
        try:
            return ClosedThen(self.application(environ, start_response), self.finished)
        except BaseException:
            self.finished()
            raise

    def finished(self) -> None:
        with self.changed:
            self.in_flight -= 1
            self.changed.notify_all()

    def open(self) -> None:
        with self.changed:
            self.is_open = True

    def shut_and_drain(self, limit_seconds: float = 60) -> None:
        with self.changed:
            self.is_open = False
            if not self.changed.wait_for(lambda: self.in_flight == 0, limit_seconds):
                raise AssertionError(f"{self.in_flight} request(s) still inside the live server")


class ClosedThen:
    """A WSGI response that calls `then` once the server has closed it (request_finished)."""

    def __init__(self, response: Any, then: Any) -> None:
        self.response = response
        self.then = then

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            close = getattr(self.response, "close", None)
            if close is not None:
                close()  # Django's request_finished: the request's connection is let go here
        finally:
            self.then()


@pytest.fixture(scope="session")
def server_gate(live_server) -> ServerGate:  # type: ignore[no-untyped-def]
    httpd = live_server.thread.httpd
    gate = ServerGate(httpd.get_app())
    httpd.set_app(gate)
    return gate


def open_page(browser, gate: ServerGate, *, bypass_csp: bool) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Yield a fresh page; afterwards, wait for its requests and shut the server's gate."""
    gate.open()
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=bypass_csp
    )
    page = context.new_page()
    # Generous: a test waits for what it names, never for a fixed time, so a long limit costs a
    # passing test nothing, while a short one fails on a busy machine (10 s did at load 20+).
    page.set_default_timeout(30_000)
    in_flight = RequestsInFlight(page)
    yield page
    in_flight.wait_until_done(page)
    context.close()
    gate.shut_and_drain()


# Both page fixtures depend on `transactional_db` so that their teardown (which shuts the live
# server's gate) runs *before* the database flush.


@pytest.fixture
def page(browser, server_gate, transactional_db):  # type: ignore[no-untyped-def]
    # Playwright's wait_for_function polls by evaluating its predicate in the page, which the
    # app's Content-Security-Policy (no eval) refuses; test_content_security_policy.py checks
    # the pages under the policy with `csp_page`.
    yield from open_page(browser, server_gate, bypass_csp=True)


@pytest.fixture
def csp_page(browser, server_gate, transactional_db):  # type: ignore[no-untyped-def]
    """A page that obeys the app's Content-Security-Policy, as every real browser does."""
    yield from open_page(browser, server_gate, bypass_csp=False)


@pytest.fixture
def live_world(transactional_db: None, settings) -> World:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(language="vi")


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in as `username` through the sign-in page, as whoever was signed in before signs
    out (the context's cookies cleared); return once the signed-in page it lands on is drawn
    (its main menu is in the page, shown or folded behind the phone's menu button)."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".topnav", state="attached")


@contextmanager
def htmx_swapped(page) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Return once the htmx swap that the block's action starts has settled in the page.

    The response arriving is not enough: htmx swaps and settles the new content after it, so a
    read right after `expect_response` can still see the old content (it did, under load).
    """
    page.evaluate(
        """() => { window.okrflowSwapped = new Promise((resolve, reject) => {
            document.addEventListener('htmx:afterSettle', () => resolve(true), {once: true});
            setTimeout(() => reject(new Error('no htmx swap settled within 30 s')), 30000);
        }); }"""
    )
    yield
    page.evaluate("() => window.okrflowSwapped")


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
