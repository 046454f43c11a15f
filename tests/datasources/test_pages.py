"""The source on the key result's page, its settings, "Test now", removal and the push URL, for the
four personas: only the owner, co-owners and admins see a source's details; others see that it is
fed and its status; an outsider and whoever may not see a private objective see nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from okrflow.audit.models import AuditEntry
from okrflow.datasources.actions import save_data_source
from okrflow.datasources.models import DataSource
from okrflow.datasources.running import refresh_source
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.models import KeyResult, KeyResultValue
from okrflow.org.models import Person
from okrflow.webhooks.events import events_of_change
from tests.conftest import World
from tests.datasources.conftest import WebServer

pytestmark = pytest.mark.django_db


def client_of(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def settings_url(kr: KeyResult) -> str:
    return f"/sources/key-results/{kr.pk}/"


def page_url(kr: KeyResult) -> str:
    return f"/insights/key-results/{kr.pk}/"


def json_form(url: str, **extra: str) -> dict[str, str]:
    return {"kind": "json", "schedule": "hourly", "url": url, "json_path": "$.n", **extra}


def test_the_owner_sets_up_a_json_source_and_tests_it_without_recording(
    kr: KeyResult, web: WebServer, world: World
) -> None:
    owner = client_of(world.member)
    page = owner.get(page_url(kr))
    assert "Feed from a data source" in page.content.decode()
    assert owner.get(settings_url(kr)).status_code == 200
    url = web.answer("/n", '{"n": 4200}')
    answer = owner.post(settings_url(kr), json_form(url, headers="X-Api-Key: abcdef-1234567890"))
    assert answer.status_code == 302
    source = DataSource.objects.get(key_result=kr)
    assert (source.kind, source.url, source.json_path) == ("json", url, "$.n")
    tested = owner.post(f"/sources/key-results/{kr.pk}/test/")
    assert "4,200" in tested.content.decode() or "4200" in tested.content.decode()
    assert not KeyResultValue.objects.filter(key_result=kr).exists()
    # The header's value is never shown again: its name and a mask.
    shown = owner.get(settings_url(kr)).content.decode()
    assert "X-Api-Key: ••••90" in shown and "abcdef" not in shown
    # Saving again with the header field empty keeps it.
    owner.post(settings_url(kr), json_form(url))
    refresh_source(source.pk)
    assert web.seen[-1]["X-Api-Key"] == "abcdef-1234567890"


def test_bad_input_is_told_and_nothing_is_saved(kr: KeyResult, world: World) -> None:
    owner = client_of(world.member)
    for form in (
        json_form("ftp://example.org/x"),
        json_form("http://[::1"),
        json_form("http://127.0.0.1/x", json_path="$..[["),
        {"kind": "csv", "schedule": "daily", "url": "", "file_path": "", "column": ""},
        {"kind": "sql", "schedule": "daily", "query": "select 1", "database_url": "oracle://x"},
        {"kind": "json", "schedule": "weekly", "url": "http://127.0.0.1/x"},
        {"kind": "nonsense"},
        json_form("http://127.0.0.1/x", headers="no colon here"),
    ):
        answer = owner.post(settings_url(kr), form)
        assert answer.status_code == 200, form
        assert 'class="field-error"' in answer.content.decode(), form
    assert not DataSource.objects.exists()


def test_an_sql_sources_password_is_masked(kr: KeyResult, world: World) -> None:
    owner = client_of(world.member)
    answer = owner.post(
        settings_url(kr),
        {
            "kind": "sql",
            "schedule": "daily",
            "query": "select 1",
            "database_url": "postgres://reader:Very-Secret-9@db.example:5432/sales",
        },
    )
    assert answer.status_code == 302
    shown = owner.get(settings_url(kr)).content.decode()
    assert "postgres://reader:••••@db.example:5432/sales" in shown
    assert "Very-Secret-9" not in shown
    assert "Very-Secret-9" not in DataSource.objects.get().secrets_encrypted


def test_who_sees_what_of_a_failing_source(kr: KeyResult, world: World, web: WebServer) -> None:
    url = web.answer("/broken/Zqvsourceplace", "not json")
    source = save_data_source(None, kr, kind="json", schedule="daily", url=url).source
    refresh_source(source.pk)
    owner_page = client_of(world.member).get(page_url(kr)).content.decode()
    assert "Failing since" in owner_page and "The answer is not valid JSON." in owner_page
    for person in (world.lead, world.ceo, world.sales_head):
        page = client_of(person).get(page_url(kr))
        text = page.content.decode()
        assert page.status_code == 200 and "Failing since" in text
        assert "not valid JSON" not in text and "Zqvsourceplace" not in text
        assert client_of(person).get(settings_url(kr)).status_code == 403
        assert client_of(person).post(f"/sources/key-results/{kr.pk}/test/").status_code == 403
        assert client_of(person).post(f"/sources/key-results/{kr.pk}/remove/").status_code == 403
    admin = client_of(world.admin)
    assert "Zqvsourceplace" in admin.get(settings_url(kr)).content.decode()
    # An outsider may see a public key result (and that it is fed), never the source's details.
    outsider = client_of(world.outsider)
    page = outsider.get(page_url(kr)).content.decode()
    assert "Zqvsourceplace" not in page and "not valid JSON" not in page
    assert outsider.get(settings_url(kr)).status_code in (403, 404)


def test_a_private_objectives_source_is_a_404_to_who_may_not_see_it(
    world: World, web: WebServer, files: Any
) -> None:
    objective = create_objective(
        None, cycle=world.cycle, title="Quiet deal", owner=world.sales_head, is_private=True
    ).value
    kr = create_key_result(
        None, objective, title="Sign it", owner=world.sales_head, start_value=0, target_value=1
    ).value
    save_data_source(None, kr, kind="json", schedule="daily", url=web.url("/Zqvprivatesource"))
    for person in (world.member, world.lead, world.outsider):
        client = client_of(person)
        for method, address in (
            ("get", page_url(kr)),
            ("get", settings_url(kr)),
            ("post", settings_url(kr)),
            ("post", f"/sources/key-results/{kr.pk}/test/"),
            ("post", f"/sources/key-results/{kr.pk}/remove/"),
            ("post", f"/sources/key-results/{kr.pk}/push-secret/"),
        ):
            answer = getattr(client, method)(address)
            assert answer.status_code == 404, (person, method, address)
            assert "Zqvprivatesource" not in answer.content.decode()
    assert DataSource.objects.filter(key_result=kr).exists()
    assert client_of(world.sales_head).get(settings_url(kr)).status_code == 200


def test_the_audit_row_and_the_webhooks_carry_no_place_and_no_secret(
    kr: KeyResult, world: World
) -> None:
    client_of(world.member).post(
        settings_url(kr), json_form("http://127.0.0.1:9/Zqvplace", headers="X-Token: Zqvtoken")
    )
    entry = AuditEntry.objects.get(object_type="datasource")
    assert entry.after == {"key_result": kr.pk, "kind": "json", "schedule": "hourly"}
    assert "Zqv" not in json.dumps(entry.after) + entry.summary
    assert events_of_change(entry.action, entry.object_type, entry.before, entry.after) == []


def test_removing_the_source_keeps_its_values(kr: KeyResult, world: World, web: WebServer) -> None:
    source = save_data_source(
        None, kr, kind="json", schedule="daily", url=web.answer("/n", "9")
    ).source
    refresh_source(source.pk)
    answer = client_of(world.member).post(f"/sources/key-results/{kr.pk}/remove/")
    assert answer.status_code == 302
    assert not DataSource.objects.exists()
    [kept] = KeyResultValue.objects.filter(key_result=kr)
    assert kept.value == Decimal(9) and kept.data_source_id is None


def test_wrong_methods(kr: KeyResult, world: World) -> None:
    owner = client_of(world.member)
    for address in ("test/", "remove/", "push-secret/"):
        assert owner.get(f"/sources/key-results/{kr.pk}/{address}").status_code == 405
    assert Client().get("/sources/push/whatever/").status_code == 405


# --- Push -------------------------------------------------------------------------------------


def make_push(kr: KeyResult, world: World) -> str:
    answer = client_of(world.member).post(settings_url(kr), {"kind": "push"})
    assert answer.status_code == 200
    text = answer.content.decode()
    start = text.index("http://testserver/sources/push/")
    push_url = text[start : text.index("<", start)]
    # Shown once: the page shows it no more.
    assert push_url not in client_of(world.member).get(settings_url(kr)).content.decode()
    return push_url.replace("http://testserver", "")


def test_a_script_pushes_numbers_as_text_or_json(kr: KeyResult, world: World) -> None:
    address = make_push(kr, world)
    script = Client(enforce_csrf_checks=True)
    answer = script.post(address, "1234.5", content_type="text/plain")
    assert answer.status_code == 200 and answer.json()["ok"] is True
    kr.refresh_from_db()
    assert kr.current_value == Decimal("1234.5")
    answer = script.post(address, {"value": 1300}, content_type="application/json")
    assert answer.status_code == 200
    assert [v.value for v in KeyResultValue.objects.filter(key_result=kr)] == [
        Decimal("1234.5"),
        Decimal(1300),
    ]
    assert {v.source for v in KeyResultValue.objects.filter(key_result=kr)} == {"data_source"}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("lots", "text/plain", 400),
        ("", "text/plain", 400),
        ('{"other": 1}', "application/json", 400),
        ("{broken", "application/json", 400),
        ('{"value": "x"}', "application/json", 400),
        ('{"value": true}', "application/json", 400),
        ("1e30", "text/plain", 400),
        ("NaN", "text/plain", 400),
        (b"\xff\xfe", "text/plain", 400),
        ("9" * 5000, "text/plain", 413),
    ],
)
def test_bad_pushes_get_a_clear_4xx_and_record_nothing(
    kr: KeyResult, world: World, body: Any, content_type: str, status: int
) -> None:
    address = make_push(kr, world)
    answer = Client().post(address, body, content_type=content_type)
    assert answer.status_code == status
    assert answer.json()["ok"] is False and answer.json()["message"]
    assert not KeyResultValue.objects.filter(key_result=kr).exists()
    assert DataSource.objects.get(key_result=kr).failing_since is None


def test_a_wrong_or_replaced_push_url_is_a_404(kr: KeyResult, world: World) -> None:
    address = make_push(kr, world)
    assert Client().post(address[:-3] + "xyz/", "1", content_type="text/plain").status_code == 404
    assert Client().post("/sources/push/short/", "1", content_type="text/plain").status_code == 404
    answer = client_of(world.member).post(f"/sources/key-results/{kr.pk}/push-secret/")
    assert answer.status_code == 200
    assert Client().post(address, "1", content_type="text/plain").status_code == 404
    assert not KeyResultValue.objects.filter(key_result=kr).exists()


def test_a_push_to_a_milestone_that_is_not_0_or_1_is_refused_and_stored(
    kr: KeyResult, world: World
) -> None:
    kr.shape = "milestone"
    kr.save()
    address = make_push(kr, world)
    answer = Client().post(address, "7", content_type="text/plain")
    assert answer.status_code == 409
    source = DataSource.objects.get(key_result=kr)
    assert source.last_error_code == "not_recorded" and source.failing_since is not None


def test_the_weekly_check_in_is_pre_filled_from_the_source(
    kr: KeyResult, world: World, web: WebServer
) -> None:
    import time_machine

    from tests.checkins.conftest import WEDNESDAY

    with time_machine.travel(WEDNESDAY):
        source = save_data_source(
            None, kr, kind="json", schedule="daily", url=web.answer("/n", "4321")
        ).source
        refresh_source(source.pk)
        page = client_of(world.member).get("/checkins/").content.decode()
    row = page[page.index(kr.title) :]
    assert "pre-filled from the data source" in row[:3000]
    assert 'value="4,321"' in row or 'value="4321"' in row
