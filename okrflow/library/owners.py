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


# Above this many different references in one file, `OwnerFinder` reads the names of every
# person, unit and project once instead of asking the database about each reference.
BULK_REFERENCES = 50


class OwnerFinder:
    """`resolve_owner` for a whole file: the same answers, in a number of queries that does not
    grow with the file's rows.

    A small file asks `resolve_owner` once per different reference. A large one
    (`prepare`) reads every name once and matches in Python by `casefold`, which equates at
    least what the database's case-insensitive match equates. A reference is answered from
    those names only when each candidate is spelled exactly as written (the database certainly
    matches it, and nothing else); anything else (another case, another spelling) is asked of
    the database, as before.
    """

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], OwnerMatch] = {}

    def resolve(self, reference: str, scope: str = "") -> OwnerMatch:
        key = (scope, reference)
        if key not in self.answers:
            self.answers[key] = resolve_owner(reference, scope)
        return self.answers[key]

    def prepare(self, references: set[tuple[str, str]]) -> None:
        """Answer many (scope, reference) pairs at once, when there are enough to be worth it."""
        if len(references) <= BULK_REFERENCES:
            return
        names = load_names()
        pending: dict[tuple[str, str], tuple[str, int]] = {}
        for scope, reference in references:
            found = from_names(names, reference, scope)
            if isinstance(found, OwnerMatch):
                self.answers[(scope, reference)] = found
            elif found is not None:
                pending[(scope, reference)] = found
        models: dict[str, Any] = {
            "unit": OrgUnit.objects.all(),
            "project": Project.objects.all(),
            "person": Person.objects.select_related("user", "unit"),
        }
        loaded: dict[tuple[str, int], Any] = {}
        for model_name, queryset in models.items():
            ids = sorted({pk for kind, pk in pending.values() if kind == model_name})
            for start in range(0, len(ids), 500):
                chunk = queryset.filter(pk__in=ids[start : start + 500])
                loaded |= {(model_name, obj.pk): obj for obj in chunk}
        for key, (model_name, pk) in pending.items():
            if (model_name, pk) in loaded:  # else gone meanwhile: the database answers
                self.answers[key] = OwnerMatch(loaded[(model_name, pk)])


NameIndex = dict[str, dict[str, list[tuple[int, str]]]]
SEARCH_MODEL = {
    "username": "person",
    "full_name": "person",
    "unit": "unit",
    "project": "project",
    "job_title": "person",
}


def load_names() -> NameIndex:
    """Every name `resolve_owner` searches, by search and casefolded name (one query each)."""
    searches: dict[str, Any] = {
        "username": Person.objects.values_list("pk", "user__username"),
        "full_name": Person.objects.values_list("pk", "full_name"),
        "unit": OrgUnit.objects.values_list("pk", "name"),
        "project": Project.objects.filter(is_archived=False).values_list("pk", "name"),
        "job_title": Person.objects.values_list("pk", "job_title"),
    }
    names: NameIndex = {}
    for search, rows in searches.items():
        index: dict[str, list[tuple[int, str]]] = {}
        for pk, name in rows.iterator(chunk_size=5000):
            if name:
                index.setdefault(name.casefold(), []).append((pk, name))
        names[search] = index
    return names


def from_names(names: NameIndex, reference: str, scope: str) -> OwnerMatch | tuple[str, int] | None:
    """Follow `resolve_owner`'s order on names read once: an answer, the (model, id) it found,
    or None when only the database can tell."""
    kind, name = split_reference(reference, scope)
    if not name or (kind and kind not in KINDS):
        return None
    steps = {"person": ["username", "full_name"], "unit": ["unit"], "project": ["project"]}
    order = [step for k in ((kind,) if kind else KINDS) for step in steps[k]]
    if not kind or kind == "person":
        order.append("job_title")
    for step in order:
        candidates = names[step].get(name.casefold(), [])
        if any(written != name for _pk, written in candidates):
            return None  # spelled another way: the database's own match decides
        if len(candidates) > 1:
            return single([None, None], name)
        if candidates:
            return (SEARCH_MODEL[step], candidates[0][0])
    return OwnerMatch(error=_("No person, unit or project is called “%(name)s”.") % {"name": name})
