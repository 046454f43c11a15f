from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "okrflow.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from okrflow.audit.models import AuditEntry
        from okrflow.audit.signals import entries_recorded
        from okrflow.webhooks.dispatch import on_audit_entries, on_audit_entry
        from okrflow.webhooks.listening import on_subscription_change
        from okrflow.webhooks.models import Subscription

        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="webhooks_dispatch")
        entries_recorded.connect(
            on_audit_entries, sender=AuditEntry, dispatch_uid="webhooks_dispatch"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                on_subscription_change, sender=Subscription, dispatch_uid="webhooks_listening"
            )
