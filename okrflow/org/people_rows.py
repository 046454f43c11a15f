"""Read each row of a people file into a `Row`, naming every value it cannot take."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from okrflow.org.people_plan import (
    NAME_LIMIT,
    UNIT_NAME_LIMIT,
    NewUnit,
    Organisation,
    PeoplePreview,
    Problem,
    Row,
    UnitNode,
    email_limit,
)
from okrflow.org.people_table import (
    LEADS_SEPARATOR,
    MAX_UNIT_DEPTH,
    UNIT_SEPARATOR,
    escape_unit_name,
    folded,
    parse_active,
    parse_language,
    parse_roles,
    split_escaped,
    unit_path_parts,
)


class RowReader:
    """Read each row's cells into a `Row`, adding a problem for each value it cannot take."""

    def __init__(
        self, organisation: Organisation, preview: PeoplePreview, index: dict[str, int]
    ) -> None:
        self.organisation = organisation
        self.preview = preview
        self.index = index
        self.first_line: dict[str, int] = {}
        self.new_units: dict[tuple[str, ...], NewUnit] = {}
        self.email_limit = email_limit()

    def cell(self, cells: list[str], column: str) -> str:
        position = self.index.get(column)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    def problem(self, line: int, message: str) -> None:
        self.preview.problems.append(Problem(message, line))

    def read(self, line: int, cells: list[str]) -> Row | None:
        """Return the row's person, or None when its email is unusable (the rest is still checked)."""
        email = self.read_email(line, self.cell(cells, "email"))
        full_name = self.cell(cells, "full_name")
        if not full_name:
            self.problem(line, _("The name is empty."))
        elif len(full_name) > NAME_LIMIT:
            self.problem(
                line, _("The name is longer than %(max)d characters.") % {"max": NAME_LIMIT}
            )
        row = Row(line=line, email=email or "", key=(email or "").lower(), full_name=full_name)
        if "unit" in self.index:
            row.unit = self.read_unit(line, self.cell(cells, "unit"))
        manager = self.cell(cells, "manager_email")
        if manager:
            row.manager_key = manager.lower()
            if email and row.manager_key == row.key:
                self.problem(line, _("%(email)s cannot be their own manager.") % {"email": email})
        roles = parse_roles(self.cell(cells, "role"))
        if roles is None:
            self.problem(
                line,
                _(
                    "Unknown role “%(role)s”: write member, lead or admin (thành viên, trưởng, quản trị)."
                )
                % {"role": self.cell(cells, "role")[:60]},
            )
        else:
            row.roles = roles
            if roles.lead and "unit" in self.index and not self.cell(cells, "unit"):
                self.problem(line, _("A lead needs a unit on the same row."))
            if roles.lead and "unit" not in self.index:
                self.problem(line, _("A lead needs a unit column saying which unit they lead."))
        if "leads" in self.index:
            row.other_leads = self.read_led_units(line, self.cell(cells, "leads"))
        language = self.cell(cells, "language")
        if language:
            code = parse_language(language)
            if code is None:
                self.problem(
                    line,
                    _("Unknown language “%(language)s”: write vi or en.")
                    % {"language": language[:60]},
                )
            row.language = code or ""
        active = parse_active(self.cell(cells, "active"))
        if active is None:
            self.problem(
                line,
                _("“%(value)s” is neither yes nor no (write yes/no, true/false, 1/0 or có/không).")
                % {"value": self.cell(cells, "active")[:60]},
            )
        row.active = active is not False
        if email is None:
            return None
        self.match_account(row)
        return row

    def read_email(self, line: int, email: str) -> str | None:
        if not email:
            self.problem(line, _("The email is empty."))
            return None
        if len(email) > self.email_limit:
            self.problem(
                line, _("The email is longer than %(max)d characters.") % {"max": self.email_limit}
            )
            return None
        try:
            validate_email(email)
        except ValidationError:
            self.problem(
                line, _("“%(email)s” is not a valid email address.") % {"email": email[:80]}
            )
            return None
        key = email.lower()
        if key in self.first_line:
            self.problem(
                line,
                _("%(email)s is also on line %(line)d.")
                % {"email": email, "line": self.first_line[key]},
            )
            return None
        self.first_line[key] = line
        return email

    def match_account(self, row: Row) -> None:
        """Find the row's account by email; a new person's username must be free."""
        accounts = self.organisation.users_by_email.get(row.key, [])
        if len(accounts) > 1:
            self.problem(
                row.line,
                _("%(count)d accounts already use %(email)s; keep only one before importing.")
                % {"count": len(accounts), "email": row.email},
            )
            return
        if accounts:
            row.user = accounts[0]
            row.person = self.organisation.person_by_user.get(row.user.pk)
        elif row.key in self.organisation.usernames:
            self.problem(
                row.line,
                _("The username %(username)s belongs to an account with another email.")
                % {"username": row.key},
            )

    def read_led_units(self, line: int, text: str) -> list[UnitNode]:
        """Read the "leads" cell: unit paths separated by ";", each found or planned once."""
        units: list[UnitNode] = []
        for piece in split_escaped(text, LEADS_SEPARATOR, unescape=False):
            path = piece.strip()
            if not path:
                continue
            unit = self.read_unit(line, path)
            if unit is not None and all(unit is not known for known in units):
                units.append(unit)
        return units

    def read_unit(self, line: int, text: str) -> UnitNode | None:
        """Find or plan the unit a path names, level by level, ignoring case and blanks."""
        if not text:
            return None
        parts = unit_path_parts(text)
        if parts is None:
            self.problem(
                line,
                _(
                    "The unit path “%(path)s” has an empty level (two slashes together, or one at an end)."
                )
                % {"path": text[:120]},
            )
            return None
        if len(parts) > MAX_UNIT_DEPTH:
            self.problem(
                line,
                _("The unit path has more than %(max)d levels.") % {"max": MAX_UNIT_DEPTH},
            )
            return None
        too_long = next((part for part in parts if len(part) > UNIT_NAME_LIMIT), None)
        if too_long is not None:
            self.problem(
                line,
                _("The unit name “%(name)s…” is longer than %(max)d characters.")
                % {"name": too_long[:40], "max": UNIT_NAME_LIMIT},
            )
            return None
        parent: UnitNode | None = None
        for depth, name in enumerate(parts):
            if not isinstance(parent, NewUnit):
                parent_id = parent.pk if parent is not None else None
                matches = self.organisation.children.get((parent_id, folded(name)), [])
                # OrgUnit.is_archived arrives with the unit administration pages: a live unit
                # wins over an archived namesake, and an archived one alone is not reused.
                live = [unit for unit in matches if not getattr(unit, "is_archived", False)]
                if len(live) > 1:
                    self.problem(
                        line,
                        _(
                            "Several units are called “%(name)s” in the same place; rename one first."
                        )
                        % {"name": name},
                    )
                    return None
                if matches and not live:
                    self.problem(
                        line,
                        _("The unit %(path)s is archived: restore it or name another unit.")
                        % {"path": self.organisation.unit_label(matches[0])},
                    )
                    return None
                if live:
                    parent = live[0]
                    continue
            key = tuple(folded(part) for part in parts[: depth + 1])
            node = self.new_units.get(key)
            if node is None:
                node = NewUnit(
                    name=name,
                    parent=parent,
                    depth=(parent.depth + 1) if parent is not None else 0,
                    path_label=self.organisation.unit_label(parent)
                    + UNIT_SEPARATOR
                    + escape_unit_name(name)
                    if parent is not None
                    else escape_unit_name(name),
                )
                self.new_units[key] = node
            parent = node
        return parent

    def new_units_in_order(self) -> list[NewUnit]:
        """Return the units to create, each after its parent."""
        return sorted(self.new_units.values(), key=lambda unit: unit.depth)
