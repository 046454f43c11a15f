"""Who may own new work: archived units and projects and deactivated people take none."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from okrflow.org.models import OrgUnit, Person, Project


def is_active_person(person: Person) -> bool:
    """Tell whether the person can still sign in (a deactivated person cannot)."""
    return bool(person.user.is_active)


def owner_refusal(owner: Any) -> str | None:
    """Say why `owner` may not take a new objective or key result, or None when it may."""
    if isinstance(owner, Person) and not is_active_person(owner):
        return _("%(name)s is deactivated and cannot own new objectives or key results.") % {
            "name": owner.full_name
        }
    if isinstance(owner, OrgUnit) and owner.is_archived:
        return _("The unit “%(name)s” is archived and takes no new objectives.") % {
            "name": owner.name
        }
    if isinstance(owner, Project) and owner.is_archived:
        return _("The project “%(name)s” is archived and takes no new objectives.") % {
            "name": owner.name
        }
    return None
