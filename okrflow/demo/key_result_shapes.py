"""The demo's key results that use #16's shapes, as the article describes them.

* The ads key result "duy trì từ 15/4" starts on the 15th of the cycle's first month.
* The industry seminar's key result is compound: 300 guests in person and 5,000 livestream
  viewers, both to be met (progress is the weaker part).
* The Friday newsletter keeps its slot, Friday 17:00; one Friday was missed.

Everything goes through the actions, like the rest of the demo.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from okrflow.cycles.models import Cycle
from okrflow.okrs.actions import update_key_result
from okrflow.okrs.actions.shapes import (
    record_part_values,
    record_slot_outcomes,
    set_key_result_parts,
)
from okrflow.okrs.models import KeyResult, KeyResultValue
from okrflow.okrs.shapes import slot_strip

ADS = "quảng cáo Google và Facebook"
SEMINAR = "Tổ chức hội thảo chuyên ngành"
NEWSLETTER = "lúc 17:00 thứ Sáu"
SEMINAR_PARTS = [
    {
        "label": "Khách mời tham dự trực tiếp",
        "start_value": 0,
        "target_value": 300,
        "unit": "khách",
    },
    {"label": "Người xem livestream", "start_value": 0, "target_value": 5000, "unit": "người xem"},
]


def find(cycle: Cycle, words: str) -> KeyResult | None:
    return (
        KeyResult.objects.filter(objective__cycle=cycle, title__contains=words)
        .select_related("objective__cycle")
        .first()
    )


def apply_key_result_shapes(cycle: Cycle, today: datetime.date) -> None:
    """Give the demo's ads, seminar and newsletter key results their start, parts and slot."""
    ads = find(cycle, ADS)
    if ads is not None:
        update_key_result(None, ads, start_date=cycle.start_date.replace(day=15))
    seminar = find(cycle, SEMINAR)
    if seminar is not None:
        seminar = set_key_result_parts(None, seminar, combine="weakest", parts=SEMINAR_PARTS)
        in_person, online = list(seminar.parts.all())
        # The seminar filled the hall; the livestream's replay is still gathering viewers.
        # Measured today, so the combined value is the newest of the key result's history.
        record_part_values(
            None,
            seminar,
            values={in_person.pk: Decimal(320), online.pk: Decimal(3900)},
            measured_on=today,
            source=KeyResultValue.Source.DEMO,
        )
    newsletter = find(cycle, NEWSLETTER)
    if newsletter is not None:
        newsletter = update_key_result(None, newsletter, slot_weekday=4, slot_hour=17).value
        past = [cell.planned for cell in slot_strip(newsletter) if cell.mark == "missed"]
        if past:
            # Every Friday so far was sent but the one two weeks ago (the list export broke).
            missed = past[-2] if len(past) >= 2 else past[-1]
            answers = {day: day != missed for day in past}
            record_slot_outcomes(None, newsletter, answers=answers)
