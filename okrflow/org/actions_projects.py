"""Actions on projects beyond creating them: edit, archive, unarchive."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.audit.log import record_change, snapshot
from okrflow.org.actions import (
    clean_name,
    collect,
    require_active_lead,
    require_admin,
    require_open_unit,
)
from okrflow.org.models import OrgUnit, Person, Project
from okrflow.org.ownership import is_active_person

DESCRIPTION_LENGTH = 5000


def project_snapshot(project: Project) -> dict[str, Any]:
    return snapshot(project) | {"members": sorted(project.members.values_list("pk", flat=True))}


@transaction.atomic
def update_project(
    actor: Any,
    project: Project,
    *,
    name: str,
    description: str,
    lead: Person | None,
    members: list[Person],
    unit: OrgUnit | None,
) -> Project:
    """Change a project's name, description, lead, members and unit."""
    require_admin(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, str] = {}
    name = collect(
        errors,
        "name",
        lambda: clean_name(name, field="name", missing=_("A project needs a name.")),
    )
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LENGTH:
        errors["description"] = _("Use at most %(limit)d characters.") % {
            "limit": DESCRIPTION_LENGTH
        }
    if lead is None:
        errors["lead"] = _("Choose the project's lead.")
    elif lead.pk != project.lead_id:
        collect(errors, "lead", lambda: require_active_lead(lead))
    if unit is not None and unit.pk != project.unit_id:
        collect(errors, "unit", lambda: require_open_unit(unit))
    current_members = set(project.members.values_list("pk", flat=True))
    newcomers = [m for m in members if m.pk not in current_members and not is_active_person(m)]
    if newcomers:
        errors["members"] = _("%(name)s is deactivated.") % {"name": newcomers[0].full_name}
    if errors:
        raise ValidationError(errors)
    assert lead is not None  # a missing lead is one of the errors raised above
    before = project_snapshot(project)
    project.name, project.description, project.unit = name, description, unit
    project.lead = lead
    project.save(update_fields=["name", "description", "lead", "unit"])
    project.members.set(members)
    record_change(
        actor=actor,
        action="update_project",
        instance=project,
        before=before,
        after=project_snapshot(project),
        summary=project.name,
    )
    return project


@transaction.atomic
def set_project_archived(actor: Any, project: Project, *, archived: bool) -> Project:
    """Archive a project (its OKRs stay readable, it takes no new ones) or bring it back."""
    require_admin(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.is_archived == archived:
        message = (
            _("“%(name)s” is already archived.") if archived else _("“%(name)s” is not archived.")
        )
        raise ValidationError(message % {"name": project.name})
    before = snapshot(project, ["is_archived"])
    project.is_archived = archived
    project.save(update_fields=["is_archived"])
    record_change(
        actor=actor,
        action="archive_project" if archived else "unarchive_project",
        instance=project,
        before=before,
        after=snapshot(project, ["is_archived"]),
        summary=project.name,
    )
    return project
