"""What a people import plans: the rows as read, the organisation as found, the preview."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from okrflow.org.models import OrgUnit, Person
from okrflow.org.people_table import (
    MAX_UNIT_DEPTH,
    Roles,
    folded,
    unit_path,
)

BATCH_SIZE = 1000


def email_limit() -> int:
    """The longest email a new person may have: it is also their username."""
    user_model = get_user_model()
    return min(
        user_model._meta.get_field("username").max_length or 150,
        user_model._meta.get_field("email").max_length or 254,
    )


NAME_LIMIT = Person._meta.get_field("full_name").max_length or 200
UNIT_NAME_LIMIT = OrgUnit._meta.get_field("name").max_length or 200


@dataclass
class Problem:
    """Something that stops the import, with the line it is on (None: the whole file)."""

    message: str
    line: int | None = None


class ImportFailed(Exception):
    """The import stopped; nothing was saved. `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass
class NewUnit:
    """A unit a row's path names that does not exist yet; `unit` is set once it is written."""

    name: str
    parent: OrgUnit | NewUnit | None
    depth: int
    path_label: str
    unit: OrgUnit | None = None


UnitNode = OrgUnit | NewUnit


@dataclass
class Row:
    """One person as the file describes them, with the account and profile they match."""

    line: int
    email: str
    key: str  # the email in lower case: people are matched on it
    full_name: str
    unit: UnitNode | None = None
    manager_key: str | None = None
    manager: Person | Row | None = None
    roles: Roles = field(default_factory=Roles)
    other_leads: list[UnitNode] = field(default_factory=list)  # the "leads" column's units
    language: str = ""  # empty: keep the person's choice (Vietnamese for someone new)
    active: bool = True
    user: Any = None  # the matched account, None for someone new
    person: Person | None = None
    new_person: Person | None = None  # built for someone new, written by `write_people`
    new_account: bool = False  # the account was made by this import


@dataclass
class Change:
    """One field of a person that the import changes, as the preview shows it."""

    field: str
    before: str
    after: str


@dataclass
class PersonLine:
    """A person the import creates or changes, for the preview."""

    line: int
    email: str
    full_name: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class LeadChange:
    unit: UnitNode
    before: Person | None
    after: Person | Row | None


@dataclass
class PeoplePreview:
    """What importing a file would do, or every problem that stops it."""

    row_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    created: list[PersonLine] = field(default_factory=list)
    updated: list[PersonLine] = field(default_factory=list)
    unchanged: int = 0
    new_units: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # What `write_people` writes; empty while there are problems.
    rows: list[Row] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    units_to_create: list[NewUnit] = field(default_factory=list)
    lead_changes: list[LeadChange] = field(default_factory=list)
    changed_keys: set[str] = field(default_factory=set)

    @property
    def can_import(self) -> bool:
        return not self.problems

    @property
    def change_count(self) -> int:
        return len(self.created) + len(self.updated) + len(self.new_units)

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda problem: problem.line or 0)


class Organisation:
    """Everyone and every unit, read once, indexed the ways the import looks them up."""

    def __init__(self) -> None:
        user_model = get_user_model()
        self.users = list(user_model.objects.only("id", "username", "email", "is_active"))
        self.people = list(Person.objects.all())
        self.units = list(OrgUnit.objects.all())
        self.users_by_email: dict[str, list[Any]] = defaultdict(list)
        for user in self.users:
            if user.email.strip():
                self.users_by_email[user.email.strip().lower()].append(user)
        self.usernames = {user.username for user in self.users}
        self.user_by_id = {user.pk: user for user in self.users}
        self.person_by_user = {person.user_id: person for person in self.people}
        self.person_by_id = {person.pk: person for person in self.people}
        self.unit_by_id = {unit.pk: unit for unit in self.units}
        self.children: dict[tuple[int | None, str], list[OrgUnit]] = defaultdict(list)
        for unit in self.units:
            self.children[(unit.parent_id, folded(unit.name))].append(unit)
        self.led_by: dict[int, list[OrgUnit]] = defaultdict(list)
        for unit in self.units:
            if unit.lead_id is not None:
                self.led_by[unit.lead_id].append(unit)

    def unit_label(self, unit: UnitNode | None) -> str:
        """Name a unit by its path of names, as the file writes it."""
        if unit is None:
            return ""
        if isinstance(unit, NewUnit):
            return unit.path_label
        names = []
        walker: OrgUnit | None = unit
        while walker is not None and len(names) <= MAX_UNIT_DEPTH * 2:
            names.append(walker.name)
            walker = self.unit_by_id.get(walker.parent_id) if walker.parent_id else None
        return unit_path(reversed(names))

    def person_label(self, person: Person | Row | None) -> str:
        if person is None:
            return ""
        if isinstance(person, Row):
            return person.email
        user = self.user_by_id.get(person.user_id)
        return (user.email if user is not None else "") or person.full_name
