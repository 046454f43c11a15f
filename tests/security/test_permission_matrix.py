"""Every URL × the four personas and anonymous, with private objectives, check-ins and 1:1s
planted under unique markers: no response shows a marker to someone the app's own rules say may
not read it, private objects answer 404 to those who may not see them, anonymous visitors are
sent to sign in. Generated from the URLconf, like the hostile-input suite.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from okrflow.library.catalog import all_templates
from tests.security.counts import record_counts
from tests.security.endpoints import NAMED_PARTS, Endpoint, all_endpoints, fill_parts, source_names
from tests.security.planting import Planted

pytestmark = pytest.mark.django_db

ENDPOINTS = all_endpoints()
# Least privileged first: a write allowed to an admin must not change what the others were shown.
PERSONAS = ("anonymous", "outsider", "member", "lead", "admin")
# Pages for people who are not signed in: the calendar feed (read by calendar apps; its secret
# address is the key, an unknown one answers 404) and signing in's own pages (emailed links,
# single sign-on).
PUBLIC_WITHOUT_SIGN_IN = {
    "login",
    "account:calendar_feed",
    "signin:invitation",
    "signin:password_forgot",
    "signin:password_reset_sent",
    "signin:password_reset_confirm",
    "signin:password_reset_done",
    "signin:sso_start",
    "signin:sso_callback",
    # A key result's push URL: its secret path is the key; an unknown one answers 404.
    "datasources:push",
}
# Kinds of private object whose pages answer 404 to whoever may not see them. (A person's page
# is visible to every member; what it must not show is checked by the markers.)
HIDDEN_KINDS = {"objective_id", "kr_id", "checkin_id", "comment_id"}

# Leaks that belong to another helper's part of issue #10; the lead removes this list once the
# branches are merged. (endpoint regex, marker regex, method, helper, reason)
PENDING_ELSEWHERE: list[tuple[str, str, str, str, str]] = []


@dataclass
class Tally:
    counts: dict[str, int] = field(
        default_factory=lambda: {"requests": 0, "leaks": 0, "pending": 0, "wrong status": 0}
    )
    failures: list[str] = field(default_factory=list)


def readable_text(response: HttpResponse) -> str:
    """The response as text a person could read: XLSX sheets unzipped, PDFs left out (their
    streams are compressed; the same rows feed the CSV, which is checked)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(
                archive.read(name).decode(errors="replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    if "pdf" in kind:
        return ""
    return content.decode(errors="replace")


def pending(endpoint: str, marker: str, method: str) -> str | None:
    for endpoint_re, marker_re, on_method, helper, reason in PENDING_ELSEWHERE:
        if (
            re.search(endpoint_re, endpoint)
            and re.search(marker_re, marker)
            and method == on_method
        ):
            return f"{helper}: {reason}"
    return None


def url_variants(endpoint: Endpoint, planted: Planted) -> list[tuple[str, dict[str, str], str]]:
    """(label, URL kwargs, hidden kind) per object to try: planted, private, another unit's."""
    named = {**NAMED_PARTS, "key": all_templates()[0].key}
    base = fill_parts(endpoint, planted.url_ids, named)
    variants = [("planted", base, "")]
    for kwarg, _converter in endpoint.parts:
        for label, objects in (
            ("private", planted.private_objects),
            ("other", planted.other_objects),
        ):
            if kwarg in objects:
                hidden = kwarg if label == "private" and kwarg in HIDDEN_KINDS else ""
                variants.append((f"{label} {kwarg}", {**base, kwarg: str(objects[kwarg])}, hidden))
    return variants


def probe_body(endpoint: Endpoint, planted: Planted) -> dict[str, str]:
    """A POST naming private objects in every field the view reads and in per-line fields."""
    _get, post_names = source_names(endpoint)
    private = planted.private_objects
    body = {name: str(private.get("objective_id", "")) for name in post_names}
    kr = private["kr_id"]
    body |= {f"kr-{kr}-value": "1", f"kr-{kr}-confidence": "high", f"note-{kr}": "x"}
    return body


def can_see_hidden(planted: Planted, user: Any, kind: str) -> bool:
    """Whether a persona may see the private object of a kind, by the markers' own rules."""
    texts = {
        "objective_id": "Zqvsalesobj",
        "kr_id": "Zqvsaleskr",
        "checkin_id": "Zqvsalesobstacle",
        "comment_id": "Zqvsalescomment",
    }
    marker = next(m for m in planted.markers if m.text.startswith(texts[kind]))
    return marker.readable_by(user)


def check(
    tally: Tally,
    endpoint: Endpoint,
    planted: Planted,
    persona: str,
    user: Any,
    method: str,
    url: str,
    hidden: str,
    response: HttpResponse,
) -> None:
    tally.counts["requests"] += 1
    where = f"{persona} {method} {url} → {response.status_code}"
    status = response.status_code
    if status >= 500:
        tally.failures.append(f"{where}: server error")
    if persona == "anonymous" and endpoint.name not in PUBLIC_WITHOUT_SIGN_IN:
        signed_out_ok = status == 405 or (
            status == 302 and response["Location"].startswith("/sign-in/")
        )
        if not signed_out_ok:
            tally.counts["wrong status"] += 1
            tally.failures.append(f"{where}: anonymous not sent to sign in")
    elif (
        hidden
        and user is not None
        and not can_see_hidden(planted, user, hidden)
        and status not in (404, 405)
    ):
        tally.counts["wrong status"] += 1
        tally.failures.append(f"{where}: a private {hidden} it may not see is not a 404")
    text = readable_text(response)
    for marker in planted.markers:
        if marker.text in text and not marker.readable_by(user):
            why = pending(endpoint.name, marker.text, method)
            if why:
                tally.counts["pending"] += 1
                continue
            tally.counts["leaks"] += 1
            tally.failures.append(f"{where}: shows “{marker.text}”")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_nothing_private_reaches_who_may_not_see_it(
    endpoint: Endpoint, planted: Planted, frozen_wednesday: None, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    variants = url_variants(endpoint, planted)
    body = probe_body(endpoint, planted)
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        user = None
        if persona != "anonymous":
            user = getattr(planted.world, persona).user
            client.force_login(user)
        for _label, parts, hidden in variants:
            url = endpoint.url(parts)
            for method in ("GET", "POST"):
                response = client.get(url) if method == "GET" else client.post(url, body)
                check(tally, endpoint, planted, persona, user, method, url, hidden, response)
                if user is not None and not getattr(
                    getattr(response.wsgi_request, "user", None), "is_authenticated", True
                ):
                    client.force_login(user)  # sign-out signed the persona out
    names = {"URLs": {endpoint.route}, "personas": set(PERSONAS)}
    record_counts(request.node, "permission matrix", tally.counts, names)
    assert not tally.failures, "\n".join(tally.failures[:20])
