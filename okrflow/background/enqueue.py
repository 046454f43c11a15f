"""Hand work to the queue only once the transaction that asked for it has committed."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send `task` after the current transaction commits (at once outside one).

    A worker must never pick up work whose rows it cannot see yet, nor work of a transaction
    that rolled back. A broker that cannot be reached is logged, not raised: the change is
    saved, and the periodic sweeps pick up what the database says is still to do.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:
            logger.exception("Could not enqueue %s", getattr(task, "name", task))

    transaction.on_commit(send)


def queue_email(subject: str, body: str, to: list[str]) -> None:
    """Send an email from the worker, after the current transaction commits."""
    from okrflow.background.tasks import send_email

    if to:
        enqueue_on_commit(send_email, subject, body, to)
