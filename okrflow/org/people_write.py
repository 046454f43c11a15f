"""Write a clean people preview in one short transaction, in bulk, with an audit row each."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from okrflow.audit.log import audit_entry, snapshot
from okrflow.audit.models import AuditEntry
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


PERSON_FIELDS = ["full_name", "unit", "manager", "is_admin", "language"]


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
            entries = write_people(actor, preview)
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
    for entry in entries:
        # What `record_change` would have sent: bulk inserts send no signals.
        post_save.send(sender=AuditEntry, instance=entry, created=True, raw=False)
    return preview


def write_people(actor: Any, preview: PeoplePreview) -> list[AuditEntry]:
    """Create units, accounts and people, update the changed ones, set leads; return the audit rows."""
    created_units = create_units(preview.units_to_create)
    user_model = get_user_model()
    rows = preview.rows
    new_rows = [row for row in rows if row.user is None]
    new_users = []
    for row in new_rows:
        user = user_model(username=row.key, email=row.email, is_active=row.active)
        user.set_unusable_password()
        new_users.append(user)
    user_model.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    for row, user in zip(new_rows, new_users, strict=True):
        row.user = user
    # Accounts without a profile (a superuser made on the command line) get one.
    profile_rows = [row for row in rows if row.person is None]
    for row in profile_rows:
        row.new_person = Person(
            user=row.user,
            full_name=row.full_name,
            unit=unit_of(row.unit),
            is_admin=row.roles.admin,
            language=row.language or Language.VIETNAMESE,
        )
    Person.objects.bulk_create([row.new_person for row in profile_rows], batch_size=BATCH_SIZE)
    changed_users: list[Any] = []
    new_user_ids = {id(user) for user in new_users}
    for row in profile_rows:
        if id(row.user) in new_user_ids:
            continue
        row.user.email = row.email
        if "active" in preview.columns:
            row.user.is_active = row.active
        changed_users.append(row.user)

    entries: list[AuditEntry] = []
    changed_people: list[Person] = []
    columns = preview.columns
    for row in rows:
        if row.key not in preview.changed_keys:
            continue
        if row.new_person is not None:
            person = row.new_person
            person.manager = person_of(row.manager)
            if person.manager is not None:
                changed_people.append(person)
            continue
        person, user = row.person, row.user
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
        if before["email"] != after["email"] or before["is_active"] != after["is_active"]:
            changed_users.append(user)
        changed_people.append(person)
        changed = [name for name in after if before[name] != after[name]]
        if changed:
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
    Person.objects.bulk_update(changed_people, PERSON_FIELDS, batch_size=BATCH_SIZE)
    user_model.objects.bulk_update(changed_users, ["email", "is_active"], batch_size=BATCH_SIZE)
    entries += write_leads(actor, preview.lead_changes, created_units)
    for row in profile_rows:
        person = row.new_person
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
        for unit in units:
            parent = unit.parent
            unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        OrgUnit.objects.bulk_update(units, ["path"], batch_size=BATCH_SIZE)
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
