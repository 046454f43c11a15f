"""Six weeks of demo check-ins around the demo loader's weekly values.

The loader records each key result's simulated value on the check-in days (`source="demo"`);
the check-ins built here point at those rows instead of recording the values again. Each owner
checks in on the week's due day - the day before a public holiday when the check-in day is one,
which `okrflow.engine.cadence` works out - with confidences that drift towards each key result's
`confidence` hint and obstacles from its `obstacle` hint. A few check-ins are late, a few are
missed, managers comment on the recent ones, each check-in says the person's own pace (slow when
a key result is in low confidence) and the work that will be late (#16), and the specialist's last week has a finished 1:1
with an agreed action that is still open. One person (`CATCH_UP_PERSON`) fills in a week a
week late, as the check-in page invites: its values sit at that week's check-in day, so the
history stays in order and each key result's current value stays the newest measured one.
When no check-in day of the window is a holiday, no
week is shifted: the same code shifts one whenever the window holds a holiday (Q2 holds 1/5).

The rows are written directly, not through `record_checkin`, because they replay the past
(submission times weeks ago) and must reuse the loader's values; the demo runs as the system.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from okrflow.checkins.confidence import PROBABILITY, ConfidenceLevel
from okrflow.checkins.models import (
    AgreedAction,
    CheckIn,
    CheckInFeedback,
    CheckinPreference,
    CheckInState,
    FeedbackKind,
    KeyResultCheckIn,
    MeetingNote,
    OneOnOne,
    Pace,
    ReminderLog,
)
from okrflow.checkins.schedule import due_moment, weeks_of
from okrflow.checkins.scope import key_results_by_person
from okrflow.cycles.models import Cycle
from okrflow.demo import content
from okrflow.engine.cadence import CheckinWeek
from okrflow.okrs.actions import create_initiative
from okrflow.okrs.models import KeyResult, KeyResultValue
from okrflow.org.models import Person

LEVELS = (ConfidenceLevel.HIGH, ConfidenceLevel.MEDIUM, ConfidenceLevel.LOW)
SOLUTIONS = (
    "Ưu tiên lại việc trong tuần, dời các việc không gắn với KR sang tuần sau.",
    "Nhờ trưởng phòng hỗ trợ làm việc với đối tác; chốt lịch trước thứ Tư.",
    "Thuê thêm 1 cộng tác viên tự do trong 2 tuần để bù phần việc bị chậm.",
    "Chia KR thành các mốc nhỏ theo tuần và báo cáo tiến độ mỗi thứ Sáu.",
)
COMMENTS = (
    "Cảm ơn em, tuần sau mình xem kỹ phần trở ngại trong buổi 1:1 nhé.",
    "Anh/chị sẽ hỗ trợ phần ngân sách, em cứ triển khai theo kế hoạch.",
    "Số liệu rõ ràng. Em thử đề xuất thêm 1 phương án dự phòng.",
)
RECOGNITIONS = ("Làm tốt lắm!", "Tuần này tiến độ rất tốt, cảm ơn em!")
# Whose check-in of the third-last demo week comes in a week late (the late check-in done right).
CATCH_UP_PERSON = "seo.marketing"
CATCH_UP_WEEKS_BACK = 3


@dataclass
class DemoCheckins:
    checkins: int
    missed: int
    late: int
    comments: int
    shifted_weeks: list[datetime.date]
    caught_up: list[tuple[str, datetime.date]] = field(default_factory=list)


def roll(*parts: object) -> int:
    """Return a repeatable number in 0..99 for these parts."""
    return hashlib.sha256(":".join(map(str, parts)).encode()).digest()[0] * 100 // 256


def spec_index(cycle: Cycle) -> dict[tuple[str, str], content.KeyResult]:
    """Map (objective title, key result title) as the loader rendered them to their spec."""
    year, quarter = cycle.start_date.year, (cycle.start_date.month - 1) // 3 + 1
    return {
        (
            content.render_text(objective.title, year, quarter),
            content.render_text(spec.title, year, quarter),
        ): spec
        for objective in content.OBJECTIVES
        for spec in objective.key_results
    }


def level_for(hint: str, week: int, weeks: int) -> ConfidenceLevel:
    """Drift from high towards the hint over the weeks (a low hint passes through medium)."""
    target = LEVELS.index(ConfidenceLevel(hint))
    step = min(target, (week * (target + 1)) // max(weeks, 1))
    return LEVELS[step]


def demo_weeks(cycle: Cycle, today: datetime.date) -> list[CheckinWeek]:
    """Return the weeks the loader simulated values for (six), leaving out weeks with none due."""
    days = set(
        KeyResultValue.objects.filter(
            key_result__objective__cycle=cycle, source=KeyResultValue.Source.DEMO
        ).values_list("measured_on", flat=True)
    )
    return [
        w for w in weeks_of(cycle) if w.nominal in days and w.nominal <= today and w.due is not None
    ]


def submitted_at(
    cycle: Cycle,
    week: CheckinWeek,
    username: str,
    late: bool,
    caught_up_in: CheckinWeek | None = None,
) -> datetime.datetime:
    moment = due_moment(cycle, caught_up_in or week)
    assert moment is not None
    if caught_up_in is not None:
        # Filled in the morning after the next week's check-in day.
        moment += datetime.timedelta(hours=16)
    elif late:
        moment += datetime.timedelta(hours=16, minutes=roll(username, week.start, "m") % 50)
    else:
        moment -= datetime.timedelta(minutes=20 + roll(username, week.start, "m") * 2)
    # A demo loaded on check-in day before the hour cannot hold check-ins from the future.
    return min(moment, timezone.now())


@transaction.atomic
def build_demo_checkins(
    cycle: Cycle, today: datetime.date, *, follow_up_last_week: bool = True
) -> DemoCheckins:
    """Create the weeks' check-ins, comments and (last week) a 1:1 for the demo's people."""
    people = {p.pk: p for p in Person.objects.select_related("user", "manager")}
    owned = key_results_by_person(cycle, set(people))
    weeks = demo_weeks(cycle, today)
    demo_values = values_by_day(cycle, weeks)
    specs = spec_index(cycle)
    summary = DemoCheckins(0, 0, 0, 0, [w.start for w in weeks if w.is_shifted])
    feedback: list[tuple[CheckInFeedback, datetime.datetime]] = []
    for person_id, key_results in sorted(owned.items()):
        person = people[person_id]
        for index, week in enumerate(weeks):
            last = index == len(weeks) - 1
            chance = roll(person.user.username, week.start)
            if last and person.user.username == "specialist.marketing":
                chance = 99  # the specialist's last week leads to the demo's 1:1: on time
            caught_up = (
                person.user.username == CATCH_UP_PERSON
                and index == len(weeks) - CATCH_UP_WEEKS_BACK
            )
            if chance < 8 and not caught_up:
                summary.missed += 1
                continue
            if caught_up:
                summary.caught_up.append((person.user.username, week.start))
            late = caught_up or 8 <= chance < 20
            summary.late += late
            checkin = write_checkin(
                cycle,
                person,
                week,
                key_results,
                demo_values,
                specs,
                index,
                len(weeks),
                submitted_at(
                    cycle,
                    week,
                    person.user.username,
                    late,
                    weeks[index + 1] if caught_up else None,
                ),
            )
            summary.checkins += 1
            if index >= len(weeks) - 3 and person.manager is not None:
                feedback.append(manager_feedback(checkin, person, index))
    for item, moment in feedback:
        item.save()
        CheckInFeedback.objects.filter(pk=item.pk).update(created_at=moment)
    summary.comments = len(feedback)
    if weeks and follow_up_last_week:
        follow_up(cycle, weeks[-1], people)
    return summary


def values_by_day(
    cycle: Cycle, weeks: list[CheckinWeek]
) -> dict[tuple[int, datetime.date], KeyResultValue]:
    """Return the loader's demo values by (key result, nominal day), in one query."""
    rows = KeyResultValue.objects.filter(
        key_result__objective__cycle=cycle,
        source=KeyResultValue.Source.DEMO,
        measured_on__in=[w.nominal for w in weeks],
    )
    return {(row.key_result_id, row.measured_on): row for row in rows}


def write_checkin(
    cycle: Cycle,
    person: Person,
    week: CheckinWeek,
    key_results: list[KeyResult],
    demo_values: dict[tuple[int, datetime.date], KeyResultValue],
    specs: dict[tuple[str, str], content.KeyResult],
    index: int,
    weeks: int,
    moment: datetime.datetime,
) -> CheckIn:
    username = person.user.username
    lines: list[KeyResultCheckIn] = []
    obstacles: list[tuple[int, str]] = []  # (how unsure, obstacle)
    levels: list[ConfidenceLevel] = []
    for kr in key_results:
        value = demo_values.get((kr.pk, week.nominal))
        if value is None:
            continue
        spec = specs.get((kr.objective.title, kr.title))
        level = level_for(spec.confidence if spec else "high", index, weeks)
        obstacle = spec.obstacle if spec is not None else None
        if spec is not None and spec.sudden and index == weeks - 1:
            level, obstacle = ConfidenceLevel.LOW, spec.sudden  # the blocker strikes this week
        levels.append(level)
        blocked = bool(obstacle) and level != ConfidenceLevel.HIGH
        if blocked:
            obstacles.append((-LEVELS.index(level), obstacle))
        lines.append(
            KeyResultCheckIn(
                key_result=kr,
                value=value.value,
                confidence=PROBABILITY[level],
                value_record=value,
                # The obstacle on the key result it concerns, so risk evidence quotes the right one.
                note=obstacle if blocked and obstacle else "",
            )
        )
    overall = overall_level(levels)
    late = late_items_for(lines, levels)
    checkin = CheckIn.objects.create(
        person=person,
        cycle=cycle,
        week=week.start,
        state=CheckInState.SUBMITTED,
        submitted_at=moment,
        progress=f"Đã cập nhật {len(lines)} kết quả then chốt trong tuần.",
        # The two obstacles behind the least confident key results, as a person would write.
        obstacles="\n".join(dict.fromkeys(text for _rank, text in sorted(obstacles)[:2])),
        solutions=SOLUTIONS[roll(username, week.start, "s") % len(SOLUTIONS)] if obstacles else "",
        confidence=PROBABILITY[overall],
        late_work="\n".join(late),
        pace=pace_for(levels, roll(username, week.start, "p")),
        created_by=person.user,
        submitted_by=person.user,
    )
    for line in lines:
        line.checkin = checkin
    KeyResultCheckIn.objects.bulk_create(lines)
    return checkin


def pace_for(levels: list[ConfidenceLevel], chance: int) -> str:
    """The person's own sense of pace (#16): slow when a key result is in trouble, else mostly
    normal, now and then fast when everything looks likely."""
    if ConfidenceLevel.LOW in levels:
        return Pace.SLOW
    if levels and all(level == ConfidenceLevel.HIGH for level in levels) and chance < 30:
        return Pace.FAST
    return Pace.NORMAL


def late_items_for(lines: list[KeyResultCheckIn], levels: list[ConfidenceLevel]) -> list[str]:
    """The work a person says is or will be late: that of the key results they doubt most."""
    doubted = [
        line.key_result.title
        for line, level in zip(lines, levels, strict=True)
        if level == ConfidenceLevel.LOW
    ]
    return [f"Việc cho “{title[:120]}” sẽ trễ so với kế hoạch tuần này" for title in doubted[:2]]


def overall_level(levels: list[ConfidenceLevel]) -> ConfidenceLevel:
    """Return the level nearest the mean probability of the lines (high when there are none)."""
    if not levels:
        return ConfidenceLevel.HIGH
    mean = sum(PROBABILITY[level] for level in levels) / len(levels)
    return min(LEVELS, key=lambda level: abs(PROBABILITY[level] - mean))


def manager_feedback(
    checkin: CheckIn, person: Person, index: int
) -> tuple[CheckInFeedback, datetime.datetime]:
    assert person.manager is not None and checkin.submitted_at is not None
    recognise = checkin.confidence == Decimal("0.90")
    choices = RECOGNITIONS if recognise else COMMENTS
    item = CheckInFeedback(
        checkin=checkin,
        author=person.manager,
        kind=FeedbackKind.RECOGNITION if recognise else FeedbackKind.COMMENT,
        body=choices[(index + person.pk) % len(choices)],
    )
    return item, checkin.submitted_at + datetime.timedelta(hours=1, minutes=15)


def follow_up(cycle: Cycle, week: CheckinWeek, people: dict[int, Person]) -> None:
    """Hold the specialist's last 1:1: notes, an agreed action still open, the next date."""
    person = next((p for p in people.values() if p.user.username == "specialist.marketing"), None)
    if person is None or person.manager is None:
        return
    checkin = CheckIn.objects.filter(person=person, cycle=cycle, week=week.start).first()
    if checkin is None or checkin.submitted_at is None:
        return
    line = checkin.lines.select_related("key_result").order_by("confidence", "id").first()
    if line is None:
        return
    ended = checkin.submitted_at + datetime.timedelta(hours=1)
    after = week.due or week.nominal
    next_due = next((w.due for w in weeks_of(cycle) if w.due and w.due > after), None)
    meeting = OneOnOne.objects.create(
        person=person,
        manager=person.manager,
        cycle=cycle,
        week=week.start,
        notes="Trao đổi về trở ngại lớn nhất tuần này; thống nhất 1 việc cần làm ngay.",
        started_at=checkin.submitted_at + datetime.timedelta(minutes=30),
        ended_at=ended,
        next_checkin_on=next_due,
    )
    MeetingNote.objects.create(
        meeting=meeting,
        key_result=line.key_result,
        body="Cần thêm người hỗ trợ; trưởng phòng sẽ hỏi phòng Kinh doanh.",
    )
    initiative = create_initiative(
        None,
        line.key_result,
        title="Lập danh sách 20 khách hàng thân thiết để mời khảo sát",
        owner=person,
        due_date=next_due,
    )
    AgreedAction.objects.create(meeting=meeting, initiative=initiative)


@transaction.atomic
def erase_checkins() -> None:
    """Delete every check-in row, dependants first (for `okrflow demo --reset`)."""
    ReminderLog.objects.all().delete()
    CheckinPreference.objects.all().delete()
    AgreedAction.objects.all().delete()
    MeetingNote.objects.all().delete()
    OneOnOne.objects.all().delete()
    CheckInFeedback.objects.all().delete()
    KeyResultCheckIn.objects.all().delete()
    # A correction protects the entry it corrects: delete the newest of each chain first.
    while CheckIn.objects.exists():
        CheckIn.objects.filter(corrections__isnull=True).delete()
