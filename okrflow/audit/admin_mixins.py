"""Make Django admin edits leave the same audit rows as the action functions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction

from okrflow.audit.log import record_change, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes run in a transaction with an audit row."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk:
                previous = type(obj).objects.filter(pk=obj.pk).first()
                before = snapshot(previous) if previous else None
            super().save_model(request, obj, form, change)
            self.after_save(obj)
            record_change(
                actor=request.user,
                action=f"admin_{'change' if change else 'add'}_{obj._meta.model_name}",
                instance=obj,
                before=before,
                after=snapshot(obj),
                summary=str(obj),
            )

    def after_save(self, obj: Any) -> None:
        """Hook for derived fields that must be kept in step."""

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            record_change(
                actor=request.user,
                action=f"admin_delete_{obj._meta.model_name}",
                instance=obj,
                before=snapshot(obj),
                after=None,
                summary=str(obj),
            )
            super().delete_model(request, obj)
