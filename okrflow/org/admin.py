from __future__ import annotations

from typing import Any

from django.contrib import admin

from okrflow.audit.admin_mixins import AuditedModelAdmin
from okrflow.org.models import Organisation, OrgUnit, Person, Project
from okrflow.org.tree import refresh_unit_paths


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "enforce_focus", "include_children_in_progress"]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    list_display = ["name", "parent", "lead", "depth"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "lead"]

    def after_save(self, obj: Any) -> None:
        refresh_unit_paths()


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["full_name", "user", "unit", "manager", "is_admin", "language"]
    list_filter = ["is_admin", "language", "unit"]
    search_fields = ["full_name", "user__username"]
    autocomplete_fields = ["user", "unit", "manager"]


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ["name", "lead", "unit", "is_archived"]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "unit", "members"]
