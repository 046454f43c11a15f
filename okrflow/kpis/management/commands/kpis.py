"""`okrflow kpis`: list the KPIs with their healthy range, current value and whether in range."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okrflow.audit.log import to_json_value
from okrflow.kpis.models import Kpi
from okrflow.kpis.selectors import KpiRow, kpi_rows


def kpi_data(row: KpiRow) -> dict[str, Any]:
    kpi = row.kpi
    return {
        "id": kpi.pk,
        "name": kpi.name,
        "unit": kpi.unit,
        "owner": {
            "kind": "unit" if kpi.owner_unit_id else "person",
            "id": kpi.owner_unit_id or kpi.owner_person_id,
            "name": kpi.owner_name,
        },
        "range": {
            "kind": kpi.range_kind,
            "minimum": to_json_value(kpi.minimum),
            "maximum": to_json_value(kpi.maximum),
        },
        "current": to_json_value(row.current),
        "measured_on": row.values[-1][0].isoformat() if row.values else None,
        "in_range": row.in_range,
        "warned": row.warned,
        "values": [{"day": day.isoformat(), "value": to_json_value(v)} for day, v in row.values],
    }


class Command(BaseCommand):
    help = "List the KPIs with their healthy range, current value and whether it is in range."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = kpi_rows(Kpi.objects.filter(is_archived=False))
        if options["json"]:
            data = {"kpis": [kpi_data(row) for row in rows]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row in rows:
            data = kpi_data(row)
            bounds = data["range"]
            healthy = {
                "at_least": f"≥ {bounds['minimum']}",
                "at_most": f"≤ {bounds['maximum']}",
                "between": f"{bounds['minimum']}–{bounds['maximum']}",
            }[row.kpi.range_kind]
            state = {True: "in range", False: "OUT OF RANGE", None: "no value"}[row.in_range]
            warned = "  (warned: two check-ins out of range)" if row.warned else ""
            self.stdout.write(
                f"K{row.kpi.pk:<4} {row.kpi.name}  [{data['owner']['name']}]  healthy {healthy} "
                f"{row.kpi.unit}  now {data['current']}  {state}{warned}"
            )
