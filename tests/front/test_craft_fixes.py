"""What a new user trips over (#15), checked without a browser: history, formats, search, picker."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, translation

from okrflow.audit.models import AuditEntry
from okrflow.front.history import history_lines, readable_value
from okrflow.insights.templatetags.insights import band_label, score
from okrflow.okrs.actions import record_key_result_value
from okrflow.org.actions import create_person
from tests.conftest import PASSWORD, World, make_objective


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def test_stored_values_read_in_each_language() -> None:
    with translation.override("vi"):
        assert readable_value("target_value", "1E+4") == "10.000"
        assert readable_value("current_value", "0.52") == "0,52"
        assert readable_value("due_date", "2026-12-05") == "05/12/2026"
        assert score(Decimal("0.52")) == "0,52"
        assert band_label("green") == "0,7–1,0"
    with translation.override("en"):
        assert readable_value("target_value", "1E+4") == "10,000"
        assert readable_value("due_date", "2026-12-05") == "5 Dec 2026"
        assert score(0.5) == "0.50"
        moment = datetime.datetime(2026, 12, 5, 4, 36)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "5 Dec 2026, 04:36"


def test_history_tells_sentences_and_folds_a_week_of_values(world: World) -> None:
    objective = make_objective(world, world.member, "Grow online sales")
    kr = objective.key_results.get()
    for value in ("81", "83", "85"):
        record_key_result_value(world.member.user, kr, value=Decimal(value))
    entries = list(
        AuditEntry.objects.filter(object_type__in=["objective", "keyresult"]).order_by("-at", "-id")
    )
    with translation.override("en"):
        lines = history_lines(entries, {kr.pk: kr.title})
    texts = [line.text for line in lines]
    assert len(lines) == 3  # the three values, the key result, the objective
    assert texts[0].startswith("recorded 3 values in the week of")
    assert "“Raise retention from 80% to 95%”: – → 85" in texts[0]
    assert texts[1:] == [
        "added the key result “Raise retention from 80% to 95%”",
        "created the objective",
    ]
    assert lines[0].actors == [world.member.user]


def test_objective_page_history_is_collapsed_in_sentences(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    signed_in(client, world, "member")
    for value in range(81, 90):
        record_key_result_value(world.member.user, kr, value=Decimal(value))
    with CaptureQueriesContext(connection) as few:
        page = client.get(f"/objectives/{objective.pk}/").content.decode()
    for value in range(90, 95):
        record_key_result_value(world.member.user, kr, value=Decimal(value))
    with CaptureQueriesContext(connection) as more:
        client.get(f"/objectives/{objective.pk}/")
    assert len(more) == len(few)  # a longer history costs no query
    assert '<details class="panel history" id="history">' in page
    assert "record_key_result_value" not in page and "current_value" not in page
    assert "recorded 9 values in the week of" in page


def test_failed_save_names_the_errors_at_the_top(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    data = {
        "owner": f"person:{world.member.pk}",
        "title": "Know our customers",
        "kind": "committed",
        "kr-count": "3",
        "kr-0-title": "Survey customers",
        "kr-0-shape": "metric",
        "kr-0-direction": "increase",
        "kr-0-start_value": "0",
        "kr-0-target_value": "lots",
        "kr-0-weight": "1",
    }
    page = client.post("/objectives/new/", data).content.decode()
    assert 'id="error-summary"' in page
    assert "Not saved: 1 thing to fix" in page
    assert 'href="#id_kr-0-target_value"' in page
    assert "1 key result ·" in page  # the checks panel counts what was typed
    assert "This field is required" not in page  # the empty rows are skipped, not wrong


def test_owner_list_translates_me(client: Client, world: World) -> None:
    world.member.language = "vi"
    world.member.save()
    page = signed_in(client, world, "member").get("/objectives/new/").content.decode()
    assert "Specialist Marketing (tôi)" in page


def test_search_ranks_whole_words_and_people_first(client: Client, world: World) -> None:
    make_objective(world, world.member, "Tăng doanh thu")
    make_objective(world, world.member, "Gắn kết đoàn đội")
    create_person(None, username="doan.minh", full_name="Đoàn Minh", password=PASSWORD)
    page = signed_in(client, world, "member").get("/search/?q=Đoàn").content.decode()
    assert page.index('id="found-people"') < page.index('id="found-objectives"')
    assert page.index("kết") < page.index("Tăng")  # whole word "đoàn" before "doanh"
    page = client.get("/search/?q=doanh").content.decode()
    assert page.index('id="found-objectives"') < page.index('id="found-people"')
    missing = client.get("/search/?q=zzqq").content.decode()
    assert "tells “dao” and “đào” apart" not in missing


def test_alignment_picker_groups_parents_by_unit(client: Client, world: World) -> None:
    child = make_objective(world, world.member, "Mine")
    make_objective(world, world.company, "Lead the market")
    make_objective(world, world.marketing, "Own the SEO")
    make_objective(world, world.sales_head, "Close more deals")
    signed_in(client, world, "member")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/objectives/{child.pk}/align/").content.decode()
    assert len(captured) <= 25
    names = ('unit">Sao Viet<', "Lead the market", 'unit">Marketing<', 'unit">Sales<')
    order = [page.index(name) for name in names]
    assert order == sorted(order)
    assert page.index("Close more deals") > page.index('unit">Sales<')
    assert "parent-depth-1" in page
    narrowed = client.get(f"/objectives/{child.pk}/align/search/?q=seo").content.decode()
    assert "Own the SEO" in narrowed and "Lead the market" not in narrowed
