from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "okrflow.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from okrflow.audit.models import AuditEntry
        from okrflow.webhooks.dispatch import on_audit_entry

        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="webhooks_dispatch")
