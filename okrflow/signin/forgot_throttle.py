"""How often someone may ask for a password-reset link, counted in Django's cache.

Without a limit the forgot-password page sends an email per request: a script could flood a
colleague's mailbox, or the mail server's quota. A few links per email address and a few more
per client address each hour are plenty for a person who lost a link. The limit applies
whether or not the email belongs to an account, so it tells nobody which addresses exist.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def counter_key(kind: str, value: str, window: int) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"okrflow-forgot:{kind}:{digest}:{window}"


def count(key: str) -> int:
    # add() then incr(): atomic on Redis and on the local-memory cache alike.
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted between add and incr: this request is the first
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def allow_reset_request(email: str, address: str | None) -> bool:
    """Count one reset request; say whether it is within this hour's limits."""
    window = int(time.time() // WINDOW_SECONDS)
    per_email = count(counter_key("email", email, window))
    per_address = count(counter_key("address", address or "unknown", window))
    return (
        per_email <= settings.OKRFLOW_RESET_LINKS_PER_EMAIL
        and per_address <= settings.OKRFLOW_RESET_LINKS_PER_ADDRESS
    )
