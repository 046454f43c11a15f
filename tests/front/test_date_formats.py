"""Dates on pages go through each language's named formats (okrflow/formats), never a literal (#15)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from okrflow.api.actions import create_access_token
from okrflow.checkins.chart import date_label
from okrflow.checkins.reminders import short_day
from okrflow.org.models import Person
from tests.checkins.conftest import WEDNESDAY, make_member_krs, submit_member_checkin
from tests.conftest import PASSWORD, World

TEMPLATES = Path(__file__).resolve().parents[2] / "okrflow"
# What a person reads at 10:00 on Wednesday 13 May 2026, in each language.
EXPECTED = {
    "vi": {"date": "13/05/2026", "day_time": "13/05 10:00"},
    "en": {"date": "13 May 2026", "day_time": "13 May, 10:00"},
}
US_OR_ISO = re.compile(r"05/13/2026|2026-05-13 10:00|13/05/2026, 10:00|10:00 a\.m\.")


def reading(person: Person, language: str, client: Client) -> Client:
    person.language = language
    person.save(update_fields=["language"])
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("language", ["vi", "en"])
def test_checkin_and_token_pages_write_dates_as_the_language_does(
    client: Client, world: World, language: str
) -> None:
    with time_machine.travel(WEDNESDAY, tick=False):
        krs = make_member_krs(world)
        checkin = submit_member_checkin(world, krs)
        create_access_token(None, world.member, name="Sheets", expires_in_days=3)
        create_access_token(None, world.admin, name="Backup")
        expected = EXPECTED[language]

        detail = reading(world.member, language, client).get(f"/checkins/{checkin.pk}/")
        assert detail.status_code == 200
        assert expected["day_time"] in detail.content.decode()

        account = client.get("/account/").content.decode()
        expires = "16/05/2026" if language == "vi" else "16 May 2026"
        assert expires in account

        client.logout()
        tokens = reading(world.admin, language, client).get("/administration/api-tokens/")
        assert tokens.status_code == 200
        page = tokens.content.decode()
        assert expected["date"] in page
        for text in (detail.content.decode(), account, page):
            assert not US_OR_ISO.search(text)


# Literal formats still allowed in templates: machine ones, read by programs, not people.
MACHINE_FORMATS = {"c", "U", "Y-m-d", "Y-m-d\\TH:i", "Ymd\\THis\\Z", "r"}
LITERAL = re.compile(r"""\|(?:date|time):\s*(["'])(?P<format>[^"']*)\1""")


def test_templates_name_their_date_formats_instead_of_spelling_them() -> None:
    spelled = []
    for template in sorted(TEMPLATES.glob("*/templates/**/*.*")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            for found in LITERAL.finditer(line):
                name = found["format"]
                if re.fullmatch(r"[A-Z_]+_FORMAT", name) or name in MACHINE_FORMATS:
                    continue
                spelled.append(f"{template.relative_to(TEMPLATES)}:{number}: {name!r}")
    assert spelled == [], "use a named format of okrflow/formats/{vi,en}/formats.py"


def test_the_grep_sees_a_spelled_format() -> None:
    assert LITERAL.search('{{ at|date:"d/m H:i" }}')["format"] == "d/m H:i"  # type: ignore[index]
    assert LITERAL.search("{{ at|time:'H:i' }}")["format"] == "H:i"  # type: ignore[index]


def test_chart_and_reminder_days_put_the_day_first() -> None:
    day = datetime.date(2026, 5, 15)
    assert date_label(day, "vi") == "15/5" and date_label(day, "en") == "15 May"
    with translation.override("en"):
        assert short_day(day) == "15 May"
    with translation.override("vi"):
        assert short_day(day) == "15/5"
