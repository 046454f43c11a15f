"""Check-in reminders by email: before the check-in, overdue after it, a digest for managers.

When each kind goes out, for a week whose check-in is due (holiday weeks have none):
* ``before``: on the due day, before the check-in hour, to owners who have not submitted;
* ``overdue``: from the check-in hour for three days, to owners who still have not;
* ``digest``: in the same window, to each owner's manager and unit lead: who checked in, who
  did not, which of their key results fell behind.
Nobody whose reminders are paused (on leave) gets any. Each (person, week, kind) goes out at
most once: a `ReminderLog` row is written in the same transaction as the email is handed to
the backend, and its unique constraint turns a second run, or a concurrent one, into a no-op.
"""

from __future__ import annotations

import datetime
import os
import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from okrflow.checkins.models import CheckIn, CheckinPreference, ReminderKind, ReminderLog
from okrflow.checkins.schedule import due_moment, local_today, weeks_of
from okrflow.checkins.scope import key_results_by_person
from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine.cadence import CheckinWeek
from okrflow.engine.progress import Status
from okrflow.okrs.measure import SUCCESS_BAR, measure_key_result
from okrflow.okrs.models import KeyResult, ObjectiveKind
from okrflow.org.models import Organisation, Person

OVERDUE_WINDOW = datetime.timedelta(days=3)
BEHIND = (Status.AT_RISK, Status.OFF_TRACK)


@dataclass
class Reminder:
    kind: str
    person: Person
    cycle: Cycle
    week: CheckinWeek
    key_results: list[KeyResult] = field(default_factory=list)
    checked_in: list[Person] = field(default_factory=list)
    missing: list[Person] = field(default_factory=list)
    behind: list[tuple[KeyResult, Status]] = field(default_factory=list)

    @property
    def team_size(self) -> int:
        return len(self.checked_in) + len(self.missing)


@dataclass
class WeekState:
    """What one cycle week's reminders need, loaded in a fixed number of queries."""

    people: dict[int, Person]
    key_results: dict[int, list[KeyResult]]
    submitted: set[int]
    paused: set[int]
    sent: set[tuple[int, str]]


def kinds_due(cycle: Cycle, week: CheckinWeek, now: datetime.datetime) -> list[str]:
    """Return which reminders a week calls for at this moment."""
    moment = due_moment(cycle, week)
    if moment is None:
        return []
    if week.due == local_today(cycle, now) and now < moment:
        return [ReminderKind.BEFORE]
    if moment <= now < moment + OVERDUE_WINDOW:
        return [ReminderKind.OVERDUE, ReminderKind.DIGEST]
    return []


def load_week(cycle: Cycle, week: CheckinWeek, today: datetime.date) -> WeekState:
    people = {
        p.pk: p for p in Person.objects.select_related("user", "unit").order_by("full_name", "id")
    }
    key_results = key_results_by_person(cycle, set(people), scope=Person.objects.values("pk"))
    submitted = set(
        CheckIn.objects.submitted()
        .originals()
        .filter(cycle=cycle, week=week.start)
        .values_list("person_id", flat=True)
    )
    paused = set(
        CheckinPreference.objects.filter(reminders_paused_until__gte=today).values_list(
            "person_id", flat=True
        )
    )
    sent = set(
        ReminderLog.objects.filter(cycle=cycle, week=week.start).values_list("person_id", "kind")
    )
    return WeekState(people, key_results, submitted, paused, sent)


def can_receive(state: WeekState, person: Person, kind: str) -> bool:
    return (
        bool(person.user.email)
        and person.pk not in state.paused
        and (person.pk, kind) not in state.sent
    )


def owner_reminders(cycle: Cycle, week: CheckinWeek, kind: str, state: WeekState) -> list[Reminder]:
    return [
        Reminder(kind, state.people[person_id], cycle, week, key_results=krs)
        for person_id, krs in state.key_results.items()
        if person_id not in state.submitted and can_receive(state, state.people[person_id], kind)
    ]


def managers_of(person: Person) -> set[int]:
    found = {person.manager_id, person.unit.lead_id if person.unit else None}
    return {pk for pk in found if pk is not None and pk != person.pk}


def behind_key_results(
    cycle: Cycle, key_results: list[KeyResult], today: datetime.date, organisation: Organisation
) -> list[tuple[KeyResult, Status]]:
    thresholds = organisation.status_thresholds()
    found = []
    for kr in key_results:
        bar = SUCCESS_BAR.get(ObjectiveKind(kr.objective.kind), 1.0)
        status = measure_key_result(kr, cycle.start_date, today, bar, thresholds).status
        if status in BEHIND:
            found.append((kr, status))
    return found


def digest_reminders(
    cycle: Cycle, week: CheckinWeek, state: WeekState, today: datetime.date
) -> list[Reminder]:
    teams: dict[int, list[Person]] = defaultdict(list)
    for person_id in state.key_results:
        for manager_id in managers_of(state.people[person_id]):
            teams[manager_id].append(state.people[person_id])
    organisation = Organisation.current()
    reminders = []
    for manager_id, team in teams.items():
        manager = state.people[manager_id]
        if not can_receive(state, manager, ReminderKind.DIGEST):
            continue
        seen: dict[int, KeyResult] = {}
        for member in team:
            seen.update({kr.pk: kr for kr in state.key_results[member.pk]})
        reminders.append(
            Reminder(
                ReminderKind.DIGEST,
                manager,
                cycle,
                week,
                checked_in=[p for p in team if p.pk in state.submitted],
                missing=[p for p in team if p.pk not in state.submitted],
                behind=behind_key_results(cycle, list(seen.values()), today, organisation),
            )
        )
    return reminders


def plan_reminders(now: datetime.datetime) -> list[Reminder]:
    """Return every reminder due at this moment that has not gone out yet."""
    planned: list[Reminder] = []
    for cycle in Cycle.objects.filter(state=CycleState.ACTIVE).order_by("start_date", "pk"):
        today = local_today(cycle, now)
        for week in weeks_of(cycle):
            kinds = kinds_due(cycle, week, now)
            if not kinds:
                continue
            state = load_week(cycle, week, today)
            for kind in kinds:
                if kind == ReminderKind.DIGEST:
                    planned += digest_reminders(cycle, week, state, today)
                else:
                    planned += owner_reminders(cycle, week, kind, state)
    return planned


def base_url() -> str:
    configured = getattr(settings, "OKRFLOW_BASE_URL", "") or os.environ.get(
        "OKRFLOW_BASE_URL", "http://127.0.0.1:8000"
    )
    return configured.rstrip("/")


def short_day(day: datetime.date) -> str:
    """Write a day as the active language does (okrflow/formats): 15/5, or 15 May."""
    return formats.date_format(day, "MONTH_DAY_FORMAT")


def subject_of(reminder: Reminder) -> str:
    assert reminder.week.due is not None
    values = {"cycle": reminder.cycle.name, "date": short_day(reminder.week.due)}
    if reminder.kind == ReminderKind.BEFORE:
        return _("Your weekly check-in is due today (%(cycle)s)") % values
    if reminder.kind == ReminderKind.OVERDUE:
        return _("Your check-in for %(date)s is overdue (%(cycle)s)") % values
    return _("Team check-ins for the week of %(date)s (%(cycle)s)") % values


def build_email(reminder: Reminder) -> EmailMessage:
    """Write the reminder in the recipient's own language."""
    with translation.override(reminder.person.language or settings.LANGUAGE_CODE):
        context = {
            "reminder": reminder,
            "person": reminder.person,
            "cycle": reminder.cycle,
            "week": reminder.week,
            "hour": f"{reminder.cycle.checkin_hour:02d}:00",
            "checkin_url": base_url() + reverse("checkins:mine"),
            "team_url": base_url() + reverse("checkins:team"),
            "preferences_url": base_url() + reverse("checkins:preferences"),
        }
        body = render_to_string(f"checkins/email/{reminder.kind}.txt", context)
        subject = subject_of(reminder)
    return EmailMessage(subject=subject, body=body, to=[reminder.person.user.email])


def remind(reminder: Reminder) -> Any:
    """Save the reminder as the person's check-in-reminder notification (None: switched off)."""
    from okrflow.notifications.actions import record_notification
    from okrflow.notifications.kinds import Kind

    week = reminder.week
    return record_notification(
        reminder.person,
        Kind.CHECKIN_REMINDER,
        source_key=f"reminder:{reminder.cycle.pk}:{week.start.isoformat()}:{reminder.kind}",
        params={
            "reminder": str(reminder.kind),
            "cycle": reminder.cycle.name,
            "due": week.due.isoformat() if week.due else week.start.isoformat(),
        },
        url=reverse("checkins:team" if reminder.kind == ReminderKind.DIGEST else "checkins:mine"),
    )


def deliver(reminder: Reminder) -> bool:
    """Log one reminder and deliver it by the person's channel; False when it already went out.

    The reminder is a notification: in the inbox always, by email at once (this full email, with
    the key results or the team) or in the daily digest, as the person chose. The log row and the
    notification are written in the transaction that hands the email to the backend.
    """
    from okrflow.notifications.kinds import Channel

    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                person=reminder.person,
                cycle=reminder.cycle,
                week=reminder.week.start,
                kind=reminder.kind,
            )
            notification = remind(reminder)
            if notification is not None and notification.delivery == Channel.EMAIL:
                build_email(reminder).send()
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
    except IntegrityError:
        return False
    return True


def send_reminders(
    now: datetime.datetime,
    *,
    dry_run: bool = False,
    say: Callable[[str], Any] = print,
) -> list[Reminder]:
    """Send every reminder due now, once; with dry_run, only say what would go out."""
    done = []
    for reminder in plan_reminders(now):
        line = (
            f"{reminder.kind:<8} {reminder.person.user.get_username():<24} "
            f"{reminder.cycle.name} · {reminder.week.start.isoformat()}"
        )
        if dry_run:
            say(f"would send {line}")
            done.append(reminder)
            continue
        try:
            sent = deliver(reminder)
        except (OSError, smtplib.SMTPException) as error:
            say(f"FAILED   {line}: {error}")
            continue
        if sent:
            say(f"sent     {line}")
            done.append(reminder)
    return done
