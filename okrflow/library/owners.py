"""Find the person, unit or project a file or a form names as an owner.

A reference is tried, in order, as: a username, a person's full name, a unit's name, a project's
name, and a person's job title ("Trưởng phòng Marketing"), each case-insensitive and only when
exactly one matches. "person:", "unit:" or "project:" in front (or a file's scope column) limits
the search to that kind; "@name" is a username.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from okrflow.front.params import parse_id
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person, Project

KINDS = ("person", "unit", "project")
MAX_PEOPLE_CHOICES = 500


@dataclass(frozen=True)
class OwnerMatch:
    """The owner a reference found, or why it found none."""

    owner: Any = None
    error: str = ""


def owner_kind(owner: Any) -> str:
    """Return "person", "unit" or "project" for an owner object."""
    if isinstance(owner, Person):
        return "person"
    if isinstance(owner, OrgUnit):
        return "unit"
    return "project"


def owner_name(owner: Any) -> str:
    """Return how an owner is written in files and on screen."""
    return owner.full_name if isinstance(owner, Person) else owner.name


def owner_reference(owner: Any) -> str:
    """Return an unambiguous reference to an owner ("unit:Marketing", "head.marketing")."""
    if isinstance(owner, Person):
        return owner.user.get_username()
    return f"{owner_kind(owner)}:{owner.name}"


def split_reference(reference: str, scope: str = "") -> tuple[str, str]:
    """Split "unit:Marketing" into ("unit", "Marketing"); a scope column wins over a prefix."""
    text = reference.strip()
    kind = scope.strip().lower()
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in KINDS:
        kind = kind or head.strip().lower()
        text = rest.strip()
    if text.startswith("@"):
        kind, text = kind or "person", text[1:]
    return kind, text


def single(candidates: list[Any], reference: str) -> OwnerMatch | None:
    """Return the one match, an ambiguity error, or None when nothing matched."""
    if len(candidates) == 1:
        return OwnerMatch(candidates[0])
    if len(candidates) > 1:
        return OwnerMatch(
            error=_("“%(name)s” matches several owners; write its username or kind, e.g. unit:…")
            % {"name": reference}
        )
    return None


def find_person(name: str) -> OwnerMatch | None:
    people = Person.objects.select_related("user", "unit")
    by_username = list(people.filter(user__username__iexact=name)[:2])
    return single(by_username, name) or single(
        list(people.filter(full_name__iexact=name)[:2]), name
    )


def resolve_owner(reference: str, scope: str = "") -> OwnerMatch:
    """Find the owner a reference names."""
    kind, name = split_reference(reference, scope)
    if not name:
        return OwnerMatch(error=_("No owner is named here."))
    if kind and kind not in KINDS:
        return OwnerMatch(
            error=_("“%(scope)s” is not an owner kind; use person, unit or project.")
            % {"scope": kind}
        )
    searches = {
        "person": lambda: find_person(name),
        "unit": lambda: single(list(OrgUnit.objects.filter(name__iexact=name)[:2]), name),
        "project": lambda: single(
            list(Project.objects.filter(name__iexact=name, is_archived=False)[:2]), name
        ),
    }
    for search_kind in (kind,) if kind else KINDS:
        found = searches[search_kind]()
        if found is not None:
            return found
    if not kind or kind == "person":
        titled = list(Person.objects.select_related("user").filter(job_title__iexact=name)[:2])
        found = single(titled, name)
        if found is not None:
            return found
    return OwnerMatch(error=_("No person, unit or project is called “%(name)s”.") % {"name": name})


def owner_choices(user: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the owners this user may create objectives for, grouped for a <select>."""
    access = access_for(user)
    if not access.is_member:
        return []
    if access.is_admin:
        units = OrgUnit.objects.all()
        projects = Project.objects.filter(is_archived=False)
        people = Person.objects.all()
    else:
        units = OrgUnit.objects.filter(pk__in=access.led_unit_ids)
        projects = Project.objects.filter(
            Q(lead=access.person) | Q(unit_id__in=access.led_unit_ids), is_archived=False
        )
        managed = Q(pk__in=access.chain_report_ids) | Q(unit_id__in=access.led_unit_ids)
        people = Person.objects.filter(managed | Q(pk=access.person.pk if access.person else 0))
    groups = [
        (
            _("People"),
            [
                (f"person:{p.pk}", p.full_name)
                for p in people.order_by("full_name")[:MAX_PEOPLE_CHOICES]
            ],
        ),
        (_("Units"), [(f"unit:{u.pk}", u.name) for u in units.order_by("path")]),
        (_("Projects"), [(f"project:{p.pk}", p.name) for p in projects.order_by("name")]),
    ]
    return [(label, options) for label, options in groups if options]


def owner_from_choice(value: str) -> Any:
    """Return the owner a form's "kind:id" value names, or None when it names nothing."""
    kind, _sep, raw_id = (value or "").partition(":")
    pk = parse_id(raw_id)
    if pk is None:
        return None
    models = {"person": Person, "unit": OrgUnit, "project": Project}
    model = models.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=pk).first()


def choice_value(owner: Any) -> str:
    """Return the "kind:id" value of an owner for a form."""
    return f"{owner_kind(owner)}:{owner.pk}"
