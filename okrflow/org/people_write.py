"""Write a clean people preview in one short transaction, in bulk, with an audit row each."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from okrflow.audit.log import audit_entry, snapshot
from okrflow.audit.models import AuditEntry
from okrflow.audit.signals import announce
from okrflow.org.actions import require_admin
from okrflow.org.models import Language, OrgUnit, Person
from okrflow.org.people_plan import (
    BATCH_SIZE,
    ImportFailed,
    LeadChange,
    NewUnit,
    PeoplePreview,
    Problem,
    Row,
    UnitNode,
)


def unit_of(node: UnitNode | None) -> OrgUnit | None:
    if isinstance(node, NewUnit):
        return node.unit
    return node


def person_of(person: Person | Row | None) -> Person | None:
    if isinstance(person, Row):
        return person.person or person.new_person
    return person


PERSON_FIELDS = ("full_name", "unit", "manager", "is_admin", "language")
USER_FIELDS = ("email", "is_active")
# Managers-first inserts for chains up to this deep; deeper managers are set by one bulk update.
MAX_INSERT_LEVELS = 30


def person_state(person: Person, user: Any) -> dict[str, Any]:
    """The audited state of a person: their profile with their account's email and status."""
    return {
        "full_name": person.full_name,
        "unit": person.unit_id,
        "manager": person.manager_id,
        "is_admin": person.is_admin,
        "language": person.language,
        "email": user.email,
        "is_active": user.is_active,
    }


def import_people(actor: Any, preview: PeoplePreview) -> PeoplePreview:
    """Write a clean preview's people and units in one transaction, with their audit rows."""
    require_admin(actor)
    if not preview.can_import:
        raise ImportFailed(preview.sorted_problems())
    if not (preview.changed_keys or preview.units_to_create or preview.lead_changes):
        return preview  # the same file again: nothing to write
    try:
        with transaction.atomic():
            # What `record_change` would have told (bulk inserts send no signals), inside the
            # transaction: its listeners then run once, on commit, for all of them.
            announce(write_people(actor, preview))
    except IntegrityError as error:
        raise ImportFailed(
            [
                Problem(
                    _(
                        "Someone changed the people or units while this file was imported; "
                        "nothing was saved. Import it again."
                    )
                )
            ]
        ) from error
    return preview


def write_people(actor: Any, preview: PeoplePreview) -> list[AuditEntry]:
    """Create units, accounts and people, update the changed ones, set leads; return the audit rows."""
    created_units = create_units(preview.units_to_create)
    create_accounts(preview.rows)
    # Accounts without a profile (a superuser made on the command line) get one too.
    profile_rows = [row for row in preview.rows if row.person is None]
    create_profiles(profile_rows)
    entries = update_people(actor, preview)
    entries += write_leads(actor, preview.lead_changes, created_units)
    for row in profile_rows:
        person = row.new_person
        assert person is not None
        entries.append(
            audit_entry(
                actor=actor,
                action="create_person",
                instance=person,
                before=None,
                after=snapshot(person) | {"email": row.user.email, "is_active": row.user.is_active},
                summary=person.full_name,
            )
        )
    entries += [
        audit_entry(
            actor=actor,
            action="create_unit",
            instance=unit,
            before=None,
            after=snapshot(unit),
            summary=unit.name,
        )
        for unit in created_units
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def create_accounts(rows: list[Row]) -> None:
    """Create a password-less account for everyone new, named by their email in lower case."""
    user_model = get_user_model()
    new_rows = [row for row in rows if row.user is None]
    for row in new_rows:
        row.new_account = True
        row.user = user_model(username=row.key, email=row.email, is_active=row.active)
        row.user.set_unusable_password()
    user_model.objects.bulk_create([row.user for row in new_rows], batch_size=BATCH_SIZE)


def manager_level(row: Row, levels: dict[int, int]) -> int:
    """Count the new people above a row in its manager chain (the file has no loop)."""
    chain = []
    walker: Row | None = row
    while isinstance(walker, Row) and walker.person is None and id(walker) not in levels:
        chain.append(walker)
        manager = walker.manager
        walker = manager if isinstance(manager, Row) else None
    level = levels.get(id(walker), -1) if walker is not None else -1
    for member in reversed(chain):
        level += 1
        levels[id(member)] = level
    return levels[id(row)]


def create_profiles(rows: list[Row]) -> None:
    """Create the people, managers first, so each is written with its manager in one insert.

    Setting managers afterwards would take a bulk update, whose CASE expressions Django builds
    one by one: 10,000 of them cost seconds. An org chart is a few levels deep; a chain deeper
    than MAX_INSERT_LEVELS gets the rest of its managers in that bulk update after all.
    """
    levels: dict[int, int] = {}
    by_level: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_level[min(manager_level(row, levels), MAX_INSERT_LEVELS)].append(row)
    late: list[Row] = []
    for level in sorted(by_level):
        for row in by_level[level]:
            manager = person_of(row.manager)
            unwritten = isinstance(row.manager, Row) and (manager is None or manager.pk is None)
            if unwritten:  # a manager in this same deepest insert
                late.append(row)
                manager = None
            row.new_person = Person(
                user=row.user,
                full_name=row.full_name,
                unit=unit_of(row.unit),
                manager=manager,
                is_admin=row.roles.admin,
                language=row.language or Language.VIETNAMESE,
            )
        Person.objects.bulk_create(
            [row.new_person for row in by_level[level] if row.new_person], batch_size=BATCH_SIZE
        )
    for row in late:
        assert row.new_person is not None
        row.new_person.manager = person_of(row.manager)
    Person.objects.bulk_update(
        [row.new_person for row in late if row.new_person], ["manager"], batch_size=BATCH_SIZE
    )


def update_people(actor: Any, preview: PeoplePreview) -> list[AuditEntry]:
    """Apply the file to the people already here; update each changed field set in bulk."""
    columns = preview.columns
    people_by_fields: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    users_by_fields: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    entries = []
    for row in preview.rows:
        if row.key not in preview.changed_keys:
            continue
        user = row.user
        if row.person is None:  # a new profile; an account already here may still change
            user_fields = []
            if user.email != row.email:
                user.email, user_fields = row.email, ["email"]
            if "active" in columns and user.is_active != row.active:
                user.is_active = row.active
                user_fields.append("is_active")
            if user_fields and not row.new_account:
                users_by_fields[tuple(user_fields)].append(user)
            continue
        person = row.person
        before = person_state(person, user)
        person.full_name = row.full_name
        if "unit" in columns:
            person.unit = unit_of(row.unit)
        if "manager_email" in columns:
            person.manager = person_of(row.manager)
        if "role" in columns:
            person.is_admin = row.roles.admin
        person.language = row.language or person.language
        user.email = row.email
        if "active" in columns:
            user.is_active = row.active
        after = person_state(person, user)
        changed = [name for name in after if before[name] != after[name]]
        if not changed:
            continue  # only a unit's lead changes: `write_leads` writes it
        person_fields = tuple(name for name in changed if name in PERSON_FIELDS)
        user_fields = tuple(name for name in changed if name in USER_FIELDS)
        if person_fields:
            people_by_fields[person_fields].append(person)
        if user_fields:
            users_by_fields[user_fields].append(user)
        entries.append(
            audit_entry(
                actor=actor,
                action="update_person",
                instance=person,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                summary=person.full_name,
            )
        )
    for fields, people in people_by_fields.items():
        Person.objects.bulk_update(people, list(fields), batch_size=BATCH_SIZE)
    for fields, users in users_by_fields.items():
        get_user_model().objects.bulk_update(users, list(fields), batch_size=BATCH_SIZE)
    return entries


def create_units(new_units: list[NewUnit]) -> list[OrgUnit]:
    """Create the planned units level by level (a unit's path needs its parent's id)."""
    created: list[OrgUnit] = []
    by_depth: dict[int, list[NewUnit]] = defaultdict(list)
    for node in new_units:
        by_depth[node.depth].append(node)
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for node in level:
            node.unit = OrgUnit(name=node.name, parent=unit_of(node.parent), path="", depth=depth)
        units = OrgUnit.objects.bulk_create(
            [node.unit for node in level if node.unit], batch_size=BATCH_SIZE
        )
        siblings: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            parent_path = unit.parent.path if unit.parent else "/"
            unit.path = f"{parent_path}{unit.pk}/"
            siblings[parent_path].append(unit)
        # One UPDATE per parent: path = parent's path + id + "/", computed by the database.
        for parent_path, children in siblings.items():
            OrgUnit.objects.filter(pk__in=[unit.pk for unit in children]).update(
                path=Concat(Value(parent_path), Cast("pk", CharField()), Value("/"))
            )
        created += units
    return created


def write_leads(
    actor: Any, changes: list[LeadChange], created_units: list[OrgUnit]
) -> list[AuditEntry]:
    """Set every unit's new lead; a new unit's lead is told by its own creation's audit row."""
    new_unit_ids = {unit.pk for unit in created_units}
    units: list[OrgUnit] = []
    entries = []
    for change in changes:
        unit = unit_of(change.unit)
        if unit is None:
            continue
        before = unit.lead_id
        unit.lead = person_of(change.after)
        units.append(unit)
        if unit.pk not in new_unit_ids:
            entries.append(
                audit_entry(
                    actor=actor,
                    action="set_unit_lead",
                    instance=unit,
                    before={"lead": before},
                    after={"lead": unit.lead_id},
                    summary=unit.name,
                )
            )
    OrgUnit.objects.bulk_update(units, ["lead"], batch_size=BATCH_SIZE)
    return entries
