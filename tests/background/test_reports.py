"""The Reports page: a whole-company review built by a real worker, offered to whoever asked."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from okrflow.background.models import ReportRequest, ReportState
from okrflow.background.reports import build_requested_report, request_report
from tests.conftest import PASSWORD, World
from tests.webhooks.conftest import Queue, wait_for


def signed_in(client: Client, person) -> Client:  # type: ignore[no-untyped-def]
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def test_a_report_is_built_by_the_worker_then_downloaded(
    redis_queue: Queue, world: World, client: Client
) -> None:
    redis_queue.start("worker")
    signed_in(client, world.lead)
    response = client.post(
        reverse("reports:list"), {"cycle": world.cycle.pk, "fmt": "csv", "language": "en"}
    )
    assert response.status_code == 302
    report = ReportRequest.objects.get()

    def ready() -> bool:
        report.refresh_from_db()
        return report.state == ReportState.READY

    wait_for(ready, "the worker to build the report")
    page = client.get(reverse("reports:list")).content.decode()
    assert reverse("reports:download", args=[report.pk]) in page
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert report.size == len(body.encode("utf-8-sig")) or report.size > 0
    assert "Objective" in body or "objective" in body.lower()
    assert AuditEntry.objects.filter(action="request_report", actor=world.lead.user).exists()


def test_building_twice_builds_once(db: None, world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.REPORTS_DIR = tmp_path
    report = request_report(world.lead.user, world.cycle, "csv", "vi")
    build_requested_report(report.pk)
    report.refresh_from_db()
    finished = report.finished_at
    assert report.state == ReportState.READY
    build_requested_report(report.pk)  # a redelivered message
    report.refresh_from_db()
    assert report.finished_at == finished


def test_only_the_person_who_asked_downloads(
    client: Client,
    world: World,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.REPORTS_DIR = tmp_path
    report = request_report(world.member.user, world.cycle, "csv", "en")
    build_requested_report(report.pk)
    url = reverse("reports:download", args=[report.pk])
    for persona in ("admin", "lead", "outsider"):
        client.logout()
        signed_in(client, getattr(world, persona))
        assert client.get(url).status_code == 404
    client.logout()
    signed_in(client, world.member)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"cycle": "abc", "fmt": "csv", "language": "en"}, "Choose a cycle"),
        ({"cycle": "999999", "fmt": "csv", "language": "en"}, "Choose a cycle"),
        ({"fmt": "exe", "language": "en"}, "Choose PDF, XLSX or CSV"),
        ({"fmt": "csv", "language": "fr"}, "Choose Vietnamese or English"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    client: Client, world: World, form: dict[str, str], message: str
) -> None:
    signed_in(client, world.lead)
    form = {"cycle": str(world.cycle.pk)} | form
    response = client.post(reverse("reports:list"), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.post(reverse("reports:list"), {"cycle": world.cycle.pk}).status_code == 302
    assert not ReportRequest.objects.exists()
