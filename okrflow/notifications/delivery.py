"""Deliver notifications by email through the task queue (immediate and daily digest)."""

from __future__ import annotations

from okrflow.notifications.models import Notification


def email_on_commit(notification: Notification) -> None:
    """Send `notification` by email from the worker once the transaction commits.

    To be built with the inbox (issue #13): render in the recipient's language, mark
    `emailed_at`, and skip a notification already emailed.
    """
