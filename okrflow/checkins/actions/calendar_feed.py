"""Turn a person's calendar feed on (or give it a new address) and off; find it by address."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change
from okrflow.checkins.models import CalendarFeed
from okrflow.org.models import Person

SELECTOR_LENGTH = 12  # secrets.token_urlsafe(9)
SECRET_BYTES = 32
TOKEN_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
MAX_TOKEN_LENGTH = 100


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def require_self(actor: Any, person: Person) -> None:
    """Refuse anyone but the person (or the system): a feed address is the person's own secret."""
    if actor is None:
        return
    if getattr(getattr(actor, "person", None), "pk", None) != person.pk:
        raise deny(_("Only the person can manage their own calendar feed."))


@transaction.atomic
def turn_on_calendar_feed(actor: Any, person: Person) -> str:
    """Give the person a new feed address and return its token; an older address stops working."""
    require_self(actor, person)
    selector = secrets.token_urlsafe(9)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    existing = CalendarFeed.objects.select_for_update().filter(person=person).first()
    action = "regenerate_calendar_feed" if existing else "turn_on_calendar_feed"
    feed = existing or CalendarFeed(person=person)
    feed.selector = selector
    feed.secret_hash = hash_secret(secret)
    feed.save()
    # The audit row names the person, never the address or its hash.
    record_change(
        actor=actor, action=action, instance=feed, before=None, after={"person": person.pk}
    )
    return selector + secret


@transaction.atomic
def turn_off_calendar_feed(actor: Any, person: Person) -> bool:
    """Delete the person's feed so its address answers 404; tell whether there was one."""
    require_self(actor, person)
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        return False
    record_change(
        actor=actor,
        action="turn_off_calendar_feed",
        instance=feed,
        before={"person": person.pk},
        after=None,
    )
    feed.delete()
    return True


def find_feed(token: str) -> CalendarFeed | None:
    """Return the live feed this token opens, or None (unknown, turned off or malformed)."""
    if not (SELECTOR_LENGTH < len(token) <= MAX_TOKEN_LENGTH) or not set(token) <= TOKEN_ALPHABET:
        return None
    selector, secret = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    feed = (
        CalendarFeed.objects.select_related("person__user", "person__unit")
        .filter(selector=selector)
        .first()
    )
    if feed is None:
        return None
    if not hmac.compare_digest(feed.secret_hash, hash_secret(secret)):
        return None
    return feed
