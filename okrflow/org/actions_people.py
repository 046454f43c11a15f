"""Actions on people beyond creating them: edit, deactivate (handing their work over), reactivate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from okrflow.audit.log import record_change, snapshot
from okrflow.org.access import access_for
from okrflow.org.actions import (
    check_manager_chain,
    clean_email,
    clean_job_title,
    clean_name,
    collect,
    require_active_lead,
    require_admin,
    require_open_unit,
    require_unused_email,
)
from okrflow.org.models import Language, OrgUnit, Person, Project
from okrflow.org.open_work import open_work
from okrflow.org.ownership import is_active_person

PERSON_FIELDS = ["full_name", "job_title", "unit", "manager", "is_admin", "language"]


def person_snapshot(person: Person) -> dict[str, Any]:
    return snapshot(person, PERSON_FIELDS) | {
        "email": person.user.email,
        "is_active": person.user.is_active,
    }


def require_another_admin(person: Person, message: str) -> None:
    """Refuse a change that would leave the organisation without an active OKR admin."""
    if not person.is_admin:
        return
    others = Person.objects.filter(is_admin=True, user__is_active=True).exclude(pk=person.pk)
    if not others.exists():
        raise ValidationError(message)


def locked_person(person: Person) -> Person:
    return Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)


@transaction.atomic
def update_person(
    actor: Any,
    person: Person,
    *,
    full_name: str,
    email: str,
    unit: OrgUnit | None,
    manager: Person | None,
    is_admin: bool,
    language: str,
    job_title: str = "",
) -> Person:
    """Change a person's name, email, unit, manager, admin role, language and job title."""
    require_admin(actor)
    person = locked_person(person)
    errors: dict[str, str] = {}
    full_name = collect(
        errors,
        "full_name",
        lambda: clean_name(full_name, field="full_name", missing=_("A person needs a name.")),
    )
    email = collect(errors, "email", lambda: clean_email(email)) or ""
    collect(errors, "email", lambda: require_unused_email(email, except_user_id=person.user_id))
    job_title = collect(errors, "job_title", lambda: clean_job_title(job_title)) or ""
    if language not in Language.values:
        errors["language"] = _("Choose Vietnamese or English.")
    if unit is not None and unit.pk != person.unit_id:
        collect(errors, "unit", lambda: require_open_unit(unit))
    if manager is not None and manager.pk != person.manager_id:
        collect(errors, "manager", lambda: require_active_lead(manager, "manager"))
    if manager is not None and manager.pk == person.pk:
        errors["manager"] = _("A person cannot be their own manager.")
    else:
        collect(errors, "manager", lambda: check_manager_chain(person, manager))
    if not is_admin:
        collect(
            errors,
            "is_admin",
            lambda: require_another_admin(
                person,
                _("%(name)s is the last OKR admin: make someone else an admin first.")
                % {"name": person.full_name},
            ),
        )
    if errors:
        raise ValidationError(errors)
    before = person_snapshot(person)
    person.full_name, person.job_title, person.language = full_name, job_title, language
    person.unit, person.manager, person.is_admin = unit, manager, bool(is_admin)
    person.save(update_fields=PERSON_FIELDS)
    if person.user.email != email:
        person.user.email = email
        person.user.save(update_fields=["email"])
    record_change(
        actor=actor,
        action="update_person",
        instance=person,
        before=before,
        after=person_snapshot(person),
        summary=person.full_name,
    )
    return person


def open_objectives(person: Person) -> QuerySet[Any]:
    """The person's objectives still being worked on: not archived, in a cycle not closed."""
    return open_work().objectives(person)


def open_key_results(person: Person) -> QuerySet[Any]:
    """The key results the person owns on objectives still being worked on."""
    return open_work().key_results(person)


def open_initiatives(person: Person) -> QuerySet[Any]:
    """The initiatives the person owns that are not done, under key results still worked on."""
    return open_work().initiatives(person)


def direct_reports(person: Person) -> QuerySet[Person]:
    return Person.objects.filter(manager=person)


def led_projects(person: Person) -> QuerySet[Project]:
    return Project.objects.filter(lead=person, is_archived=False)


@dataclass
class Handover:
    """What deactivating a person handed over, and the units left without a lead."""

    objectives: int = 0
    key_results: int = 0
    initiatives: int = 0
    projects: int = 0
    # The people who reported to them now report to their manager (or to nobody).
    reports: int = 0
    reports_now_under: str = ""
    units_without_lead: list[str] = field(default_factory=list)


def owns_open_work(person: Person) -> bool:
    return (
        open_objectives(person).exists()
        or open_key_results(person).exists()
        or open_initiatives(person).exists()
        or led_projects(person).exists()
    )


@transaction.atomic
def deactivate_person(actor: Any, person: Person, *, hand_to: Person | None = None) -> Handover:
    """Stop a person signing in, handing their open objectives, key results and projects over.

    History stays theirs (closed cycles, archived objectives, past check-ins); units they lead
    are left without a lead for an admin to choose a new one. The people who reported to them
    now report to their own manager (or to nobody), so no proposal waits on someone who can
    no longer sign in.
    """
    require_admin(actor)
    person = locked_person(person)
    access = access_for(actor) if actor is not None else None
    if access is not None and access.person is not None and access.person.pk == person.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if not is_active_person(person):
        raise ValidationError(_("%(name)s is already deactivated.") % {"name": person.full_name})
    require_another_admin(
        person,
        _("%(name)s is the last active OKR admin: make someone else an admin first.")
        % {"name": person.full_name},
    )
    if hand_to is not None:
        if hand_to.pk == person.pk:
            raise ValidationError({"hand_to": _("Choose someone else to take over the work.")})
        if not is_active_person(hand_to):
            raise ValidationError(
                {"hand_to": _("%(name)s is deactivated.") % {"name": hand_to.full_name}}
            )
    elif owns_open_work(person):
        raise ValidationError(
            {
                "hand_to": _(
                    "%(name)s still owns open objectives, key results or projects: "
                    "choose who takes them over."
                )
                % {"name": person.full_name}
            }
        )
    handover = Handover()
    if hand_to is not None:
        handover = hand_over(actor, person, hand_to)
    for unit in OrgUnit.objects.select_for_update().filter(lead=person).order_by("path"):
        before = snapshot(unit)
        unit.lead = None
        unit.save(update_fields=["lead"])
        record_change(
            actor=actor, action="set_unit_lead", instance=unit, before=before, after=snapshot(unit)
        )
        handover.units_without_lead.append(unit.name)
    handover.reports, handover.reports_now_under = move_reports_up(actor, person)
    before = person_snapshot(person)
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    record_change(
        actor=actor,
        action="deactivate_person",
        instance=person,
        before=before,
        after=person_snapshot(person)
        | {
            "handed_to": hand_to.pk if hand_to else None,
            "objectives": handover.objectives,
            "key_results": handover.key_results,
            "initiatives": handover.initiatives,
            "projects": handover.projects,
            "reports": handover.reports,
        },
        summary=person.full_name,
    )
    return handover


def hand_over(actor: Any, person: Person, hand_to: Person) -> Handover:
    """Give the person's open objectives, key results and initiatives (through the app that owns
    them, `org.open_work`) and projects to `hand_to`, one audit row each."""
    handover = Handover()
    okrs = open_work().hand_over(actor, person, hand_to)
    handover.objectives = okrs.objectives
    handover.key_results = okrs.key_results
    handover.initiatives = okrs.initiatives
    for project in led_projects(person).select_for_update().order_by("pk"):
        before = snapshot(project, ["lead"])
        project.lead = hand_to
        project.save(update_fields=["lead"])
        record_change(
            actor=actor,
            action="hand_over_project",
            instance=project,
            before=before,
            after=snapshot(project, ["lead"]),
            summary=project.name,
        )
        handover.projects += 1
    return handover


def move_reports_up(actor: Any, person: Person) -> tuple[int, str]:
    """Make the person's direct reports report to the person's manager; return (count, name).

    The manager is above the person, who is above each report, so no loop can appear. A
    manager who is deactivated too is skipped: the reports are left without one.
    """
    above = person.manager if person.manager and is_active_person(person.manager) else None
    moved = 0
    for report in direct_reports(person).select_for_update().order_by("pk"):
        before = snapshot(report, ["manager"])
        report.manager = above
        report.save(update_fields=["manager"])
        record_change(
            actor=actor,
            action="move_report_up",
            instance=report,
            before=before,
            after=snapshot(report, ["manager"]),
            summary=report.full_name,
        )
        moved += 1
    return moved, above.full_name if above else ""


@transaction.atomic
def reactivate_person(actor: Any, person: Person) -> Person:
    """Let a deactivated person sign in and own new work again."""
    require_admin(actor)
    person = locked_person(person)
    if is_active_person(person):
        raise ValidationError(_("%(name)s is already active.") % {"name": person.full_name})
    before = person_snapshot(person)
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    record_change(
        actor=actor,
        action="reactivate_person",
        instance=person,
        before=before,
        after=person_snapshot(person),
        summary=person.full_name,
    )
    return person
