"""Every write to the org tree, people and projects goes through these actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.org.access import access_for
from okrflow.org.models import Language, OrgUnit, Person, Project
from okrflow.org.ownership import is_active_person

NAME_LENGTH = 200  # the name columns of units, people and projects
USERNAME_LENGTH = 150  # Django's username column
EMAIL_LENGTH = 254  # Django's email column


def require_admin(actor: Any) -> None:
    """Refuse unless the actor is an OKR admin (or the system, actor None)."""
    if actor is not None and not access_for(actor).is_admin:
        raise deny(_("Only an OKR admin can change the organisation."))


def unit_path(parent: OrgUnit | None, unit_id: int) -> str:
    return f"{parent.path if parent else '/'}{unit_id}/"


def clean_name(raw: Any, *, field: str, missing: str, limit: int = NAME_LENGTH) -> str:
    """Strip a name and refuse it empty or longer than its column."""
    name = " ".join(str(raw or "").split())
    if not name:
        raise ValidationError({field: missing})
    if len(name) > limit:
        raise ValidationError({field: _("Use at most %(limit)d characters.") % {"limit": limit}})
    return name


def require_active_lead(person: Person | None, field: str = "lead") -> None:
    """Refuse a deactivated person as a lead or manager."""
    if person is not None and not is_active_person(person):
        raise ValidationError({field: _("%(name)s is deactivated.") % {"name": person.full_name}})


def require_open_unit(unit: OrgUnit | None, field: str = "unit") -> None:
    """Refuse an archived unit as the place for something new."""
    if unit is not None and unit.is_archived:
        raise ValidationError({field: _("The unit “%(name)s” is archived.") % {"name": unit.name}})


@transaction.atomic
def create_unit(
    actor: Any, *, name: str, parent: OrgUnit | None = None, lead: Person | None = None
) -> OrgUnit:
    """Add a unit to the org tree."""
    require_admin(actor)
    name = clean_name(name, field="name", missing=_("A unit needs a name."))
    require_open_unit(parent, "parent")
    require_active_lead(lead)
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
    require_active_lead(lead)
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
    username: str = "",
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
    """Create a user account and its person profile (the username defaults to the email)."""
    require_admin(actor)
    user_model = get_user_model()
    errors: dict[str, str] = {}
    email = collect(errors, "email", lambda: clean_email(email)) or ""
    collect(errors, "email", lambda: require_unused_email(email))
    username = (username or "").strip() or email
    if not username:
        errors["username"] = _("A person needs a username or an email.")
    elif len(username) > USERNAME_LENGTH:
        errors["username"] = _("Use at most %(limit)d characters.") % {"limit": USERNAME_LENGTH}
    elif user_model.objects.filter(username__iexact=username).exists():
        errors["username"] = _("The username “%(name)s” is taken.") % {"name": username}
    full_name = collect(
        errors,
        "full_name",
        lambda: clean_name(full_name, field="full_name", missing=_("A person needs a name.")),
    )
    job_title = collect(errors, "job_title", lambda: clean_job_title(job_title)) or ""
    if language not in Language.values:
        errors["language"] = _("Choose Vietnamese or English.")
    for field, check in (
        ("unit", lambda: require_open_unit(unit)),
        ("manager", lambda: require_active_lead(manager, "manager")),
    ):
        collect(errors, field, check)
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
    check_manager_chain(person, manager)
    before = snapshot(person)
    person.manager = manager
    person.save(update_fields=["manager"])
    record_change(
        actor=actor, action="set_manager", instance=person, before=before, after=snapshot(person)
    )
    return person


def check_manager_chain(person: Person, manager: Person | None) -> None:
    """Refuse a manager that would make a loop in the manager chain."""
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


def clean_email(raw: Any) -> str:
    """Check an email address (empty is allowed) and refuse one another account uses."""
    email = str(raw or "").strip()
    if not email:
        return ""
    if len(email) > EMAIL_LENGTH:
        raise ValidationError({"email": _("This email address is too long.")})
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error
    return email


def require_unused_email(email: str, *, except_user_id: int | None = None) -> None:
    """Refuse an email another account already has, whatever its letter case."""
    if not email:
        return
    others = get_user_model().objects.filter(email__iexact=email)
    if except_user_id is not None:
        others = others.exclude(pk=except_user_id)
    if others.exists():
        raise ValidationError(
            {"email": _("Another person already uses the email %(email)s.") % {"email": email}}
        )


def clean_job_title(raw: Any) -> str:
    title = " ".join(str(raw or "").split())
    if len(title) > NAME_LENGTH:
        raise ValidationError(
            {"job_title": _("Use at most %(limit)d characters.") % {"limit": NAME_LENGTH}}
        )
    return title


def collect(errors: dict[str, str], field: str, check: Any) -> Any:
    """Run one check, noting its message under `field` instead of stopping at the first error."""
    try:
        return check()
    except ValidationError as error:
        messages = error.message_dict.get(field) if hasattr(error, "error_dict") else None
        errors[field] = " ".join(messages or error.messages)
        return None


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
    name = clean_name(name, field="name", missing=_("A project needs a name."))
    require_active_lead(lead)
    require_open_unit(unit)
    project = Project.objects.create(name=name, lead=lead, unit=unit, description=description)
    if members:
        project.members.set(members)
    after = snapshot(project) | {"members": sorted(m.pk for m in members or [])}
    record_change(actor=actor, action="create_project", instance=project, before=None, after=after)
    return project
