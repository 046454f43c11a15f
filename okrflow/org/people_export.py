"""Export everyone as the people import reads them back: CSV or XLSX, through okrflow.spreadsheets."""

from __future__ import annotations

import io
from typing import Any

from okrflow.org.models import OrgUnit, Person
from okrflow.org.people_table import (
    COLUMNS,
    LEADS_SEPARATOR,
    UNIT_SEPARATOR,
    Roles,
    escape_unit_name,
)
from okrflow.spreadsheets import append_row, csv_bytes, sheet_title

EXPORT_FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def unit_paths() -> dict[int, str]:
    """Return every unit's path of names ("Công ty/Marketing/SEO", names escaped), in one query."""
    units = {unit.pk: unit for unit in OrgUnit.objects.only("id", "name", "parent_id")}
    paths: dict[int, str] = {}

    def path_of(unit_id: int) -> str:
        if unit_id not in paths:
            unit = units[unit_id]
            parent = path_of(unit.parent_id) + UNIT_SEPARATOR if unit.parent_id else ""
            paths[unit_id] = parent + escape_unit_name(unit.name)
        return paths[unit_id]

    for unit_id in units:
        path_of(unit_id)
    return paths


def people_rows() -> list[list[Any]]:
    """Return the header and one row per person, sorted by unit path, then name."""
    paths = unit_paths()
    led_units: dict[int, list[int]] = {}
    for lead_id, unit_id in OrgUnit.objects.filter(lead__isnull=False).values_list("lead", "pk"):
        led_units.setdefault(lead_id, []).append(unit_id)
    people = Person.objects.select_related("user", "manager__user").order_by("pk")
    rows = []
    for person in people:
        # "lead" in the role: the person leads their own row's unit; "leads": every other one.
        led = led_units.get(person.pk, [])
        roles = Roles(lead=person.unit_id in led, admin=person.is_admin)
        others = sorted(paths[unit_id] for unit_id in led if unit_id != person.unit_id)
        manager = person.manager.user.email if person.manager is not None else ""
        rows.append(
            [
                person.user.email,
                person.full_name,
                paths.get(person.unit_id, "") if person.unit_id else "",
                manager,
                roles.label(),
                person.language,
                "yes" if person.user.is_active else "no",
                (LEADS_SEPARATOR + " ").join(others),
            ]
        )
    rows.sort(key=lambda row: (row[2].casefold(), row[1].casefold()))
    return [list(COLUMNS), *rows]


def export_people(format_name: str) -> bytes:
    """Write everyone as CSV or XLSX; a formula-looking name never runs as a formula."""
    rows = people_rows()
    if format_name == "csv":
        return csv_bytes(rows)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title("people")
    for row in rows:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"email": 32, "full_name": 28, "unit": 40, "manager_email": 32}
    for index, name in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 12)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
