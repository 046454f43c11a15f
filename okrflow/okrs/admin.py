from __future__ import annotations

from django.contrib import admin

from okrflow.audit.admin_mixins import AuditedModelAdmin
from okrflow.okrs.models import Tag


@admin.register(Tag)
class TagAdmin(AuditedModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
