"""#16: editing, archiving and restoring a KPI, correcting a value (append-only), per persona."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from okrflow.audit.models import AuditEntry
from okrflow.kpis.actions import (
    correct_kpi_value,
    create_kpi,
    record_kpi_value,
    set_kpi_archived,
    update_kpi,
)
from okrflow.kpis.models import Kpi, KpiValue
from okrflow.kpis.selectors import kpi_rows
from tests.conftest import World

PERSONAS = ["admin", "lead", "member", "teammate", "sales_head", "outsider"]
MAY_MANAGE = {"admin", "lead"}
MAY_CHECK_IN = {"admin", "lead", "member"}  # member: of the owning unit (marketing)
DAY = datetime.date(2026, 5, 1)


def sessions(world: World) -> Kpi:
    return create_kpi(
        None, name="Website sessions", owner=world.marketing, range_kind="at_least", minimum=5000
    )


def fields(**changes: object) -> dict[str, object]:
    return {
        "name": "Website sessions",
        "unit": "sessions",
        "range_kind": "between",
        "minimum": "4000",
        "maximum": "9000",
    } | changes


def test_the_lead_edits_a_kpi_with_an_audit_row(world: World) -> None:
    kpi = sessions(world)
    update_kpi(world.lead.user, kpi, **fields(), owner=world.content_team)  # type: ignore[arg-type]
    kpi.refresh_from_db()
    assert (kpi.range_kind, kpi.minimum, kpi.maximum, kpi.unit) == (
        "between",
        Decimal(4000),
        Decimal(9000),
        "sessions",
    )
    assert kpi.owner_unit == world.content_team
    entry = AuditEntry.objects.get(action="update_kpi", object_id=kpi.pk)
    assert entry.before["range_kind"] == "at_least" and entry.after["maximum"] == "9000"


def test_an_unchanged_edit_writes_no_audit_row(world: World) -> None:
    kpi = sessions(world)
    update_kpi(world.admin.user, kpi, name=kpi.name, range_kind="at_least", minimum="5000")
    assert not AuditEntry.objects.filter(action="update_kpi").exists()


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize(
    ("changes", "english"),
    [
        ({"minimum": "9", "maximum": "3"}, "The lowest healthy value is above the highest."),
        ({"name": "   "}, "Name the KPI."),
        ({"minimum": "lots"}, ""),
        ({"range_kind": "sometimes"}, "Choose at least, at most or between."),
    ],
)
def test_bad_edits_are_refused_with_a_message_and_nothing_saved(
    world: World, language: str, changes: dict[str, object], english: str
) -> None:
    kpi = sessions(world)
    with translation.override(language), pytest.raises(ValidationError) as error:
        update_kpi(world.lead.user, kpi, **fields(**changes))  # type: ignore[arg-type]
    text = " ".join(error.value.messages)
    assert text
    if english:
        assert (text == english) == (language == "en")
    kpi.refresh_from_db()
    assert (kpi.name, kpi.range_kind, kpi.minimum, kpi.maximum) == (
        "Website sessions",
        "at_least",
        Decimal(5000),
        None,
    )
    assert not AuditEntry.objects.filter(action="update_kpi").exists()


def test_no_one_gives_a_kpi_to_an_owner_they_do_not_manage(world: World) -> None:
    kpi = sessions(world)
    with pytest.raises(PermissionDenied):
        update_kpi(world.lead.user, kpi, **fields(), owner=world.sales)  # type: ignore[arg-type]
    kpi.refresh_from_db()
    assert kpi.owner_unit == world.marketing


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_edit_archive_and_correct(world: World, persona: str) -> None:
    kpi = sessions(world)
    value = record_kpi_value(None, kpi, value="5200", measured_on=DAY)
    user = getattr(world, persona).user
    if persona in MAY_MANAGE:
        update_kpi(user, kpi, **fields(name="Sessions"))  # type: ignore[arg-type]
        set_kpi_archived(user, kpi, archived=True)
        set_kpi_archived(user, kpi, archived=False)
    else:
        with pytest.raises(PermissionDenied):
            update_kpi(user, kpi, **fields(name="Sessions"))  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied):
            set_kpi_archived(user, kpi, archived=True)
    if persona in MAY_CHECK_IN:
        correct_kpi_value(user, value, value="5100")
    else:
        with pytest.raises(PermissionDenied):
            correct_kpi_value(user, value, value="5100")
    kpi.refresh_from_db()
    assert (kpi.name == "Sessions") == (persona in MAY_MANAGE)
    assert not kpi.is_archived
    assert KpiValue.objects.count() == (2 if persona in MAY_CHECK_IN else 1)


def test_a_correction_is_a_new_value_and_the_mistake_stays_in_the_history(world: World) -> None:
    kpi = sessions(world)
    record_kpi_value(None, kpi, value="6000", measured_on=DAY - datetime.timedelta(days=7))
    mistake = record_kpi_value(None, kpi, value="52000", measured_on=DAY)
    [row] = kpi_rows(Kpi.objects.filter(pk=kpi.pk))
    assert row.current == Decimal(52000)
    fixed = correct_kpi_value(world.member.user, mistake, value="5200", note="typo: one zero")
    assert (fixed.measured_on, fixed.corrects_id, fixed.note) == (DAY, mistake.pk, "typo: one zero")
    mistake.refresh_from_db()
    assert mistake.value == Decimal(52000)  # never changed
    [row] = kpi_rows(Kpi.objects.filter(pk=kpi.pk))
    assert row.values == [(DAY - datetime.timedelta(days=7), Decimal(6000)), (DAY, Decimal(5200))]
    entry = AuditEntry.objects.get(action="correct_kpi_value")
    assert entry.before["value"] == "52000" and entry.after["value"] == "5200"
    # Only the latest version is corrected; a bad number saves nothing.
    with pytest.raises(ValidationError):
        correct_kpi_value(world.member.user, mistake, value="5300")
    for bad in ("", "many", "1e400"):
        with pytest.raises(ValidationError):
            correct_kpi_value(world.member.user, fixed, value=bad)
    assert KpiValue.objects.count() == 3
    correct_kpi_value(world.member.user, fixed, value="5250")
    [row] = kpi_rows(Kpi.objects.filter(pk=kpi.pk))
    assert row.current == Decimal(5250)


def test_an_archived_kpi_leaves_check_in_and_panels_but_keeps_its_history(
    world: World, client: Client
) -> None:
    kpi = sessions(world)
    record_kpi_value(None, kpi, value="5200", measured_on=DAY)
    set_kpi_archived(world.lead.user, kpi, archived=True)
    assert AuditEntry.objects.filter(action="archive_kpi", object_id=kpi.pk).exists()
    with pytest.raises(ValidationError):
        record_kpi_value(world.member.user, kpi, value="1", measured_on=DAY)
    client.force_login(world.member.user)
    for url in ("/checkins/", f"/units/{world.marketing.pk}/", "/my/"):
        assert "Website sessions" not in client.get(url).content.decode(), url
    page = client.get(f"/kpis/{kpi.pk}/").content.decode()
    assert "Website sessions" in page and 'id="kpi-value-' in page
    assert f'href="/kpis/{kpi.pk}/"' in client.get("/kpis/").content.decode()  # archived list
    set_kpi_archived(world.admin.user, kpi, archived=False)
    assert AuditEntry.objects.filter(action="unarchive_kpi", object_id=kpi.pk).exists()
    assert "Website sessions" in client.get("/checkins/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_kpi_page_and_its_forms_for_each_persona(
    world: World, client: Client, persona: str
) -> None:
    kpi = sessions(world)
    value = record_kpi_value(None, kpi, value="5200", measured_on=DAY)
    client.force_login(getattr(world, persona).user)
    page = client.get(f"/kpis/{kpi.pk}/")
    # KPIs are not private: everyone in the organisation reads the page, with its forms only
    # for who may use them.
    assert page.status_code == 200
    text = page.content.decode()
    assert ('id="kpi-edit"' in text) == (persona in MAY_MANAGE)
    assert (f"/kpis/values/{value.pk}/correct/" in text) == (persona in MAY_CHECK_IN)
    correct = client.post(f"/kpis/values/{value.pk}/correct/", {"value": "5100"})
    edit = client.post(f"/kpis/{kpi.pk}/edit/", fields(name="Renamed"))
    archive = client.post(f"/kpis/{kpi.pk}/archive/", {"archived": "1"})
    expected_manage = 302 if persona in MAY_MANAGE else 403
    assert (edit.status_code, archive.status_code) == (expected_manage, expected_manage)
    assert correct.status_code == (302 if persona in MAY_CHECK_IN else 403)
    kpi.refresh_from_db()
    assert (kpi.name == "Renamed") == (persona in MAY_MANAGE)
    assert kpi.is_archived == (persona in MAY_MANAGE)
    assert KpiValue.objects.filter(corrects=value).exists() == (persona in MAY_CHECK_IN)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_bad_edit_on_the_page_shows_a_translated_message(
    world: World, client: Client, language: str
) -> None:
    kpi = sessions(world)
    world.lead.language = language
    world.lead.save()
    client.force_login(world.lead.user)
    response = client.post(
        f"/kpis/{kpi.pk}/edit/", fields(minimum="9000", maximum="100"), follow=True
    )
    text = response.content.decode()
    english = "The lowest healthy value is above the highest."
    assert (english in text) == (language == "en")
    if language == "vi":
        assert "giá trị" in text.lower()
    kpi.refresh_from_db()
    assert (kpi.range_kind, kpi.maximum) == ("at_least", None)


def test_the_kpi_pages_read_a_bounded_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    kpis = [sessions(world)]
    for number in range(8):
        kpis.append(
            create_kpi(
                None,
                name=f"KPI {number}",
                owner=world.sales if number % 2 else world.lead,
                range_kind="at_most",
                maximum=10,
            )
        )
    for kpi in kpis:
        for day in range(1, 6):
            row = record_kpi_value(None, kpi, value=day, measured_on=datetime.date(2026, 5, day))
        correct_kpi_value(None, row, value=3)
    for kpi in kpis[5:]:
        set_kpi_archived(None, kpi, archived=True)
    client.force_login(world.lead.user)
    with django_assert_max_num_queries(14):
        assert client.get("/kpis/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/kpis/{kpis[0].pk}/").status_code == 200
