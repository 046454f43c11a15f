"""Import people from a CSV or XLSX file, all or nothing, with a preview of every change.

The whole file is checked in memory against the organisation read in three queries (accounts,
people, units): every problem is named with its line, and nothing is written while one remains.
A clean file is then written in bulk in one short transaction, with an audit row for every
person and unit created or changed. The same file imported twice changes nothing the second time.

What a row says (see `people_table` for the words each column accepts):
- people are matched to accounts by email, ignoring case; a new person's username is the email
  in lower case, and they get no password (an invitation or single sign-on lets them in);
- a column the file leaves out changes nothing for people already there; an empty cell means no
  unit, no manager, a member, active; an empty language keeps the person's own choice;
- with a role column, the file says who leads: a person leads exactly the unit on their row when
  their role is `lead`, and no other unit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from okrflow.org.actions import require_admin
from okrflow.org.models import OrgUnit, Person
from okrflow.org.people_files import Table
from okrflow.org.people_plan import (
    Change,
    LeadChange,
    NewUnit,
    Organisation,
    PeoplePreview,
    PersonLine,
    Problem,
    Row,
    UnitNode,
)
from okrflow.org.people_rows import RowReader
from okrflow.org.people_table import (
    COLUMNS,
    REQUIRED_COLUMNS,
    Roles,
    column_for,
    manager_loops,
)


def build_preview(table: Table, actor: Any) -> PeoplePreview:
    """Check a people file against the organisation and say what importing it would change."""
    require_admin(actor)
    preview = PeoplePreview(row_count=len(table.rows))
    index = column_index(table.header, preview)
    if preview.problems:
        return preview
    preview.columns = set(index)
    organisation = Organisation()
    reader = RowReader(organisation, preview, index)
    rows = [row for line, cells in table.rows if (row := reader.read(line, cells)) is not None]
    if not rows and not preview.problems:
        preview.problems.append(Problem(_("The file names no one: it has only its header row.")))
    rows_by_key = {row.key: row for row in rows}
    resolve_managers(rows, rows_by_key, organisation, preview)
    check_leads(rows, preview)
    check_own_row(rows, actor, preview)
    check_loops(rows, organisation, preview)
    if preview.problems:
        return preview
    preview.rows = rows
    preview.units_to_create = reader.new_units_in_order()
    preview.new_units = [unit.path_label for unit in preview.units_to_create]
    describe_changes(rows, organisation, preview)
    return preview


def column_index(header: list[str], preview: PeoplePreview) -> dict[str, int]:
    """Map each column the import reads to its position; refuse a missing or doubled column."""
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        column = column_for(cell)
        if column is None:
            if cell:
                preview.ignored_columns.append(cell)
            continue
        if column in index:
            preview.problems.append(
                Problem(
                    _("Two columns, “%(first)s” and “%(second)s”, both give “%(column)s”.")
                    % {"first": header[index[column]], "second": cell, "column": column},
                    1,
                )
            )
        index[column] = position
    for column in REQUIRED_COLUMNS:
        if column not in index:
            preview.problems.append(
                Problem(
                    _("The first row must name the columns (%(columns)s); “%(column)s” is missing.")
                    % {"columns": ", ".join(COLUMNS), "column": column},
                    1,
                )
            )
    return index


def resolve_managers(
    rows: list[Row], rows_by_key: dict[str, Row], organisation: Organisation, preview: PeoplePreview
) -> None:
    """Point each row at its manager: a row of the file (even a later one) or someone already here."""
    for row in rows:
        if row.manager_key is None or row.manager_key == row.key:
            continue
        in_file = rows_by_key.get(row.manager_key)
        if in_file is not None:
            row.manager = in_file
            continue
        accounts = organisation.users_by_email.get(row.manager_key, [])
        people = [
            person
            for account in accounts
            if (person := organisation.person_by_user.get(account.pk)) is not None
        ]
        if len(people) == 1:
            row.manager = people[0]
        elif len(people) > 1:
            preview.problems.append(
                Problem(
                    _("The manager %(email)s is ambiguous: %(count)d people use that email.")
                    % {"email": row.manager_key, "count": len(people)},
                    row.line,
                )
            )
        else:
            preview.problems.append(
                Problem(
                    _("The manager %(email)s is neither in the file nor among the people.")
                    % {"email": row.manager_key[:120]},
                    row.line,
                )
            )


def led_units(row: Row, *, by_role: bool) -> list[UnitNode]:
    """The units a row says its person leads: the row's own (role "lead") and the "leads" cell's."""
    units = list(row.other_leads)
    own = row.unit if by_role and row.roles.lead else None
    if own is not None and all(own is not unit for unit in units):
        units.append(own)
    return units


def check_leads(rows: list[Row], preview: PeoplePreview) -> None:
    """Refuse two leads for one unit."""
    lead_line: dict[int, int] = {}
    for row in rows:
        for unit in led_units(row, by_role=True):
            first = lead_line.setdefault(id(unit), row.line)
            if first != row.line:
                preview.problems.append(
                    Problem(
                        _("This unit already has its lead on line %(line)d.") % {"line": first},
                        row.line,
                    )
                )


def check_own_row(rows: list[Row], actor: Any, preview: PeoplePreview) -> None:
    """Keep the admin who imports from locking themselves out."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    for row in rows:
        if row.user is None or row.user.pk != actor.pk:
            continue
        if not row.active:
            preview.problems.append(Problem(_("You cannot deactivate yourself."), row.line))
        if "role" in preview.columns and not row.roles.admin:
            preview.problems.append(
                Problem(_("You cannot take away your own admin role."), row.line)
            )


def check_loops(rows: list[Row], organisation: Organisation, preview: PeoplePreview) -> None:
    """Refuse a manager chain that comes back to where it started, through anyone."""

    def node(person: Person | Row | None) -> Any:
        if person is None:
            return None
        if isinstance(person, Row):
            return person.person.pk if person.person is not None else person.key
        return person.pk

    manager_of: dict[Any, Any] = {
        person.pk: person.manager_id for person in organisation.people if person.manager_id
    }
    if "manager_email" in preview.columns:
        for row in rows:
            manager_of[node(row)] = node(row.manager)
    row_of_node = {node(row): row for row in rows}
    labels = {node(row): row.email for row in rows}
    for loop in manager_loops(manager_of, [node(row) for row in rows]):
        chain = [
            labels.get(member) or organisation.person_label(organisation.person_by_id.get(member))
            for member in [*loop, loop[0]]
        ]
        for member in loop:
            row = row_of_node.get(member)
            if row is not None:
                preview.problems.append(
                    Problem(
                        _("A management loop: %(chain)s.") % {"chain": " → ".join(chain)},
                        row.line,
                    )
                )


def role_text(roles: Roles) -> str:
    """Name a row's roles in the reader's language ("unit lead, OKR admin")."""
    names = [
        name for name, held in ((_("unit lead"), roles.lead), (_("OKR admin"), roles.admin)) if held
    ]
    return ", ".join(names) or _("member")


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def describe_changes(rows: list[Row], organisation: Organisation, preview: PeoplePreview) -> None:
    """Fill the preview's lists of people to create and to change, and the unit lead changes."""
    lead_changes = plan_leads(rows, organisation, preview)
    leads_by_person: dict[int, list[LeadChange]] = defaultdict(list)
    for change in lead_changes:
        for person in (change.before, change.after):
            if isinstance(person, Row):
                person = person.person
            if person is not None:
                leads_by_person[person.pk].append(change)
    preview.lead_changes = lead_changes
    columns = preview.columns
    for row in rows:
        if row.person is None:
            line = PersonLine(row.line, row.email, row.full_name)
            if row.unit is not None:
                line.changes.append(Change(_("unit"), "", organisation.unit_label(row.unit)))
            if row.manager is not None:
                line.changes.append(
                    Change(_("manager"), "", organisation.person_label(row.manager))
                )
            line.changes.append(Change(_("role"), "", role_text(row.roles)))
            if not row.active:
                line.changes.append(Change(_("active"), "", yes_no(False)))
            preview.created.append(line)
            preview.changed_keys.add(row.key)
            continue
        person = row.person
        user = row.user
        changes = []
        if user.email != row.email:
            changes.append(Change(_("email"), user.email, row.email))
        if person.full_name != row.full_name:
            changes.append(Change(_("name"), person.full_name, row.full_name))
        if "unit" in columns and not same_unit(person.unit_id, row.unit):
            before = organisation.unit_label(organisation.unit_by_id.get(person.unit_id or 0))
            changes.append(Change(_("unit"), before, organisation.unit_label(row.unit)))
        if "manager_email" in columns and not same_person(person.manager_id, row.manager):
            before_manager = organisation.person_by_id.get(person.manager_id or 0)
            changes.append(
                Change(
                    _("manager"),
                    organisation.person_label(before_manager),
                    organisation.person_label(row.manager),
                )
            )
        if "role" in columns and person.is_admin != row.roles.admin:
            changes.append(Change(_("OKR admin"), yes_no(person.is_admin), yes_no(row.roles.admin)))
        for change in leads_by_person.get(person.pk, []):
            label = organisation.unit_label(change.unit)
            if change.after is row:
                changes.append(Change(_("leads"), "", label))
            else:
                changes.append(Change(_("leads"), label, ""))
        if row.language and person.language != row.language:
            changes.append(Change(_("language"), person.language, row.language))
        if "active" in columns and user.is_active != row.active:
            changes.append(Change(_("active"), yes_no(user.is_active), yes_no(row.active)))
        if changes:
            preview.updated.append(PersonLine(row.line, row.email, row.full_name, changes))
            preview.changed_keys.add(row.key)
        else:
            preview.unchanged += 1


def same_unit(unit_id: int | None, unit: UnitNode | None) -> bool:
    if unit is None or isinstance(unit, NewUnit):
        return unit_id is None and unit is None
    return unit.pk == unit_id


def same_person(person_id: int | None, person: Person | Row | None) -> bool:
    if person is None:
        return person_id is None
    if isinstance(person, Row):
        return person.person is not None and person.person.pk == person_id
    return person.pk == person_id


def plan_leads(
    rows: list[Row], organisation: Organisation, preview: PeoplePreview
) -> list[LeadChange]:
    """Say which units change their lead.

    The role column decides the row's own unit (lead or not). The "leads" column, when the file
    has it, lists every other unit the person leads; a file without it keeps the older rule: a
    lead leads their row's unit, and only it.
    """
    by_role = "role" in preview.columns
    if not (by_role or "leads" in preview.columns):
        return []
    assigned: dict[int, LeadChange] = {}
    removed: dict[int, LeadChange] = {}
    for row in rows:
        wanted = led_units(row, by_role=by_role)
        if row.person is not None:
            own_unit_id = (
                row.unit.pk
                if isinstance(row.unit, OrgUnit)
                else (row.person.unit_id if "unit" not in preview.columns else None)
            )
            for unit in organisation.led_by.get(row.person.pk, []):
                if any(unit is known for known in wanted):
                    continue
                if by_role or unit.pk != own_unit_id:
                    removed[id(unit)] = LeadChange(unit, row.person, None)
        for unit in wanted:
            current = unit.lead_id if isinstance(unit, OrgUnit) else None
            if row.person is not None and current == row.person.pk:
                continue
            before = organisation.person_by_id.get(current) if current else None
            assigned[id(unit)] = LeadChange(unit, before, row)
    # A unit whose lead the file both removes and gives to someone else changes once.
    return [change for key, change in removed.items() if key not in assigned] + list(
        assigned.values()
    )
