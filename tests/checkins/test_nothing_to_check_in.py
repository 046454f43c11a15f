"""People with no key result in the cycle owe no check-in: never overdue, missed or reminded."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from okrflow.checkins.compliance import compliance_report, compliance_totals, people_in
from okrflow.checkins.models import ReminderLog
from okrflow.engine.cadence import Timeliness
from tests.checkins.conftest import Krs, give_emails, signed_in
from tests.conftest import World

URL = "/checkins/"
SATURDAY = "2026-05-16T10:00+07:00"  # the week of 11/5 was due Friday 15/5 at 17:00


@pytest.mark.parametrize("language", ["en", "vi"])
def test_my_check_in_tells_someone_without_key_results_that_nothing_is_due(
    client: Client, world: World, krs: Krs, language: str
) -> None:
    world.teammate.language = language
    world.teammate.save(update_fields=["language"])
    signed_in(client, world.teammate)
    with time_machine.travel(SATURDAY, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["is_overdue"] is False
    assert response.context["missed"] == []
    assert {mark for _week, mark in response.context["marks"]} == {Timeliness.NOT_DUE}
    with translation.override(language):
        assert translation.gettext("Overdue since") not in page
        assert translation.gettext("a late check-in still helps.") not in page
        nothing = translation.gettext(
            "You have no key result in this cycle, so no check-in is due. You may still write one."
        )
    assert nothing in page


def test_someone_with_key_results_is_still_told_they_are_overdue(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.member)
    with time_machine.travel(SATURDAY, tick=False):
        response = client.get(URL)
    assert response.context["is_overdue"] is True
    assert response.context["nothing_due"] is False
    assert response.context["missed"]
    assert Timeliness.MISSED in {mark for _week, mark in response.context["marks"]}


def test_compliance_and_its_totals_leave_out_people_with_nothing_to_check_in(
    world: World, krs: Krs
) -> None:
    with time_machine.travel(SATURDAY, tick=False):
        report = compliance_report(world.cycle, people_in(None), timezone.now())
        totals = compliance_totals(world.cycle, people_in(None), timezone.now())
    assert [row.person for row in report.rows] == [world.member]
    assert totals.expected == [world.member.pk]
    assert world.teammate.pk not in totals.missed_last


def test_no_reminder_and_no_digest_entry_for_people_with_nothing_to_check_in(
    world: World, krs: Krs, mailoutbox: list
) -> None:
    give_emails(world)
    out = io.StringIO()
    call_command("send-reminders", "--now", "2026-05-15T18:00+07:00", stdout=out)
    reminded = set(ReminderLog.objects.values_list("person__user__username", flat=True))
    # The specialist is overdue; their manager gets the digest; nobody else hears anything.
    assert reminded == {"specialist.marketing", "head.marketing"}
    digest = next(mail for mail in mailoutbox if mail.to == ["head.marketing@saoviet.example"])
    assert world.teammate.full_name not in digest.body
    assert world.outsider.full_name not in digest.body
