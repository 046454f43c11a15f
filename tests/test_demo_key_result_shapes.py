"""The demo's #16 key results: the ads start on 15/10, the seminar is compound, the newsletter
keeps its Friday 17:00 slot with one missed Friday; `okrflow okrs --json` carries them."""

from __future__ import annotations

import datetime
import io
import json

import time_machine
from django.core.management import call_command

from okrflow.okrs.models import KeyResult
from okrflow.okrs.shapes import slot_strip


def test_the_demo_uses_start_dates_compound_parts_and_slots(demo_org, db: None) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("okrs", "--json", "--on", "2026-11-27", stdout=out)
    rows = [k for o in json.loads(out.getvalue())["objectives"] for k in o["key_results"]]
    ads = next(k for k in rows if "quảng cáo Google và Facebook" in k["title"])
    assert ads["start_date"] == "2026-10-15"
    seminar = next(k for k in rows if "hội thảo chuyên ngành" in k["title"] and k["parts"])
    assert [(p["target"], p["current"]) for p in seminar["parts"]] == [(300, 320), (5000, 3900)]
    assert seminar["combine"] == "weakest" and seminar["progress"] == 0.78
    newsletter = next(k for k in rows if "17:00 thứ Sáu" in k["title"])
    assert newsletter["slot"] == {"weekday": 4, "hour": 17}
    kr = KeyResult.objects.get(pk=newsletter["id"])
    noon = datetime.datetime(2026, 11, 27, 5, tzinfo=datetime.UTC)
    with time_machine.travel(noon, tick=False):
        marks = [cell.mark for cell in slot_strip(kr)]
    assert marks.count("missed") == 1 and "met" in marks
