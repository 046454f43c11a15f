"""Whether any webhook subscription is listening, asked after every write: from the cache.

Every transaction with audit rows asks, once it commits, whether a dispatch is worth queueing
(`dispatch.kick_dispatch`). The answer changes only when a subscription does, so it is kept in
the cache (Redis in the scaled shape, shared by every process) with the version of the
subscriptions it was read at. Each change to a subscription gives them a new version once its
transaction commits, so the next question reads the table again: a reader that read the table
just before the commit stores its answer under the old version, which no one takes any more.
Without a shared cache (each process its own), another process's answer may be a minute late;
the periodic sweep dispatches what a missed kick left (the audit table is the outbox).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

from okrflow.webhooks.models import Subscription

VERSION_KEY = "okrflow:webhooks:subscriptions-version"
ANSWER_KEY = "okrflow:webhooks:any-listening"
ANSWER_SECONDS = 60


def any_listening() -> bool:
    """Tell whether some subscription is not paused (one cache read when the answer is known)."""
    found = cache.get_many([VERSION_KEY, ANSWER_KEY])
    version, answer = found.get(VERSION_KEY), found.get(ANSWER_KEY)
    if version is not None and answer is not None and answer[0] == version:
        return bool(answer[1])
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    listening = Subscription.objects.filter(is_paused=False).exists()
    cache.set(ANSWER_KEY, (version, listening), ANSWER_SECONDS)
    return listening


def new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def on_subscription_change(sender: Any, **kwargs: Any) -> None:
    """A subscription was saved or deleted: a new version once the transaction commits."""
    transaction.on_commit(new_version)
