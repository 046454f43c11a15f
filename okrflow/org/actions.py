"""Every write to the org tree, people and projects goes through these actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.org.access import access_for
from okrflow.org.emails import clean_email
from okrflow.org.models import Language, OrgUnit, Person, Project


def require_admin(actor: Any) -> None:
    """Refuse unless the actor is an OKR admin (or the system, actor None)."""
    if actor is not None and not access_for(actor).is_admin:
        raise deny(_("Only an OKR admin can change the organisation."))


def unit_path(parent: OrgUnit | None, unit_id: int) -> str:
    return f"{parent.path if parent else '/'}{unit_id}/"


@transaction.atomic
def create_unit(
    actor: Any, *, name: str, parent: OrgUnit | None = None, lead: Person | None = None
) -> OrgUnit:
    """Add a unit to the org tree."""
    require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A unit needs a name.")})
    unit = OrgUnit.objects.create(
        name=name, parent=parent, lead=lead, path="", depth=(parent.depth + 1) if parent else 0
    )
    unit.path = unit_path(parent, unit.pk)
    unit.save(update_fields=["path"])
    record_change(
        actor=actor, action="create_unit", instance=unit, before=None, after=snapshot(unit)
    )
    return unit


@transaction.atomic
def set_unit_lead(actor: Any, unit: OrgUnit, lead: Person | None) -> OrgUnit:
    """Make a person the lead of a unit (or leave it without one)."""
    require_admin(actor)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit)
    unit.lead = lead
    unit.save(update_fields=["lead"])
    record_change(
        actor=actor, action="set_unit_lead", instance=unit, before=before, after=snapshot(unit)
    )
    return unit


@transaction.atomic
def create_person(
    actor: Any,
    *,
    username: str,
    full_name: str,
    password: str | None = None,
    email: str = "",
    unit: OrgUnit | None = None,
    manager: Person | None = None,
    is_admin: bool = False,
    language: str = Language.VIETNAMESE,
    job_title: str = "",
    time_zone: str = "Asia/Ho_Chi_Minh",
) -> Person:
    """Create a user account and its person profile."""
    require_admin(actor)
    user_model = get_user_model()
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("A person needs a username.")
    elif user_model.objects.filter(username=username).exists():
        errors["username"] = _("The username “%(name)s” is taken.") % {"name": username}
    if not full_name:
        errors["full_name"] = _("A person needs a name.")
    if language not in Language.values:
        errors["language"] = _("Choose Vietnamese or English.")
    try:
        email = clean_email(email)  # unique whatever its case: sign-in and SSO find people by it
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    user = user_model.objects.create_user(username=username, email=email, password=password)
    person = Person.objects.create(
        user=user,
        full_name=full_name,
        unit=unit,
        manager=manager,
        is_admin=is_admin,
        language=language,
        job_title=job_title,
        time_zone=time_zone,
    )
    record_change(
        actor=actor, action="create_person", instance=person, before=None, after=snapshot(person)
    )
    return person


@transaction.atomic
def set_manager(actor: Any, person: Person, manager: Person | None) -> Person:
    """Change a person's manager, refusing a loop in the manager chain."""
    require_admin(actor)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if manager is not None:
        walker: Person | None = manager
        seen: set[int] = set()
        while walker is not None and walker.pk not in seen:
            if walker.pk == person.pk:
                raise ValidationError(
                    {
                        "manager": _("%(name)s cannot report to someone who reports to them.")
                        % {"name": person.full_name}
                    }
                )
            seen.add(walker.pk)
            walker = walker.manager
    before = snapshot(person)
    person.manager = manager
    person.save(update_fields=["manager"])
    record_change(
        actor=actor, action="set_manager", instance=person, before=before, after=snapshot(person)
    )
    return person


@transaction.atomic
def set_person_language(actor: Any, person: Person, language: str) -> Person:
    """Switch the language a person sees okrflow in."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Vietnamese or English.")})
    access = access_for(actor)
    if not (access.person and access.person.pk == person.pk) and not access.is_admin:
        raise deny()
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, ["language"])
    person.language = language
    person.save(update_fields=["language"])
    record_change(
        actor=actor,
        action="set_person_language",
        instance=person,
        before=before,
        after=snapshot(person, ["language"]),
    )
    return person


@transaction.atomic
def create_project(
    actor: Any,
    *,
    name: str,
    lead: Person,
    members: list[Person] | None = None,
    unit: OrgUnit | None = None,
    description: str = "",
) -> Project:
    """Create a project that can own OKRs, such as a marketing campaign."""
    access = access_for(actor) if actor is not None else None
    if access is not None and not (access.is_admin or access.is_unit_lead):
        raise deny(_("Only an admin or a unit lead can create a project."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A project needs a name.")})
    project = Project.objects.create(name=name, lead=lead, unit=unit, description=description)
    if members:
        project.members.set(members)
    after = snapshot(project) | {"members": sorted(m.pk for m in members or [])}
    record_change(actor=actor, action="create_project", instance=project, before=None, after=after)
    return project
