"""The audit trail's own signal, for rows written together.

A row saved on its own (`record_change`) sends Django's `post_save`. Rows written together by
one bulk insert (a check-in's, an import's) send `entries_recorded` once, with all of them:
the listeners (live insight updates, webhooks) take them in one call instead of one dispatch
per row. A listener of the audit trail connects to both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import Signal

entries_recorded = Signal()  # sender: AuditEntry; entries: the written rows, with their ids


def announce(entries: Sequence[Any]) -> None:
    """Tell the listeners of the audit trail about rows a bulk insert wrote (none: no call)."""
    if entries:
        from okrflow.audit.models import AuditEntry

        entries_recorded.send(sender=AuditEntry, entries=entries)
