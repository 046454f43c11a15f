"""The insights pages for each persona, wrong methods, state changes and pinned query counts."""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import CycleState
from okrflow.insights.actions import close_cycle
from okrflow.insights.models import CarryOver, ObjectiveGrade, Reflection
from okrflow.okrs.models import KeyResult, Objective
from tests.conftest import PASSWORD, World
from tests.insights.conftest import objective_with, record_weekly

pytestmark = pytest.mark.django_db
PERSONAS = ("admin", "lead", "member", "outsider")
counter = itertools.count()


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


@pytest.fixture
def okrs(world: World, today):  # type: ignore[no-untyped-def]
    """A company objective, a department one behind pace, and the member's private one."""
    company, _ = objective_with(
        world,
        world.company,
        "Lead the market",
        [{"title": "Share", "start_value": 10, "target_value": 20, "owner": world.ceo}],
    )
    marketing, (visits,) = objective_with(
        world,
        world.marketing,
        "Own SEO for brand consulting",
        [{"title": "Website visits", "start_value": 0, "target_value": 100}],
        parent=company,
    )
    record_weekly(visits, [4, 8, 12, 16, 20, 24, 28, 32])
    private = Objective.objects.get(
        pk=objective_with(
            world,
            world.member,
            "Private growth plan",
            [{"title": "Courses done", "start_value": 0, "target_value": 4}],
        )[0].pk
    )
    private.is_private = True
    private.save(update_fields=["is_private"])
    return {"company": company, "marketing": marketing, "visits": visits, "private": private}


def more_okrs(world: World, parent: Objective, count: int) -> None:
    for _ in range(count):
        n = next(counter)
        _, (kr,) = objective_with(
            world,
            world.marketing,
            f"Campaign {n}",
            [{"title": f"Leads {n}", "start_value": 0, "target_value": 50}],
            parent=parent,
        )
        record_weekly(kr, [2, 4, 6, 8])


@pytest.mark.parametrize("persona", PERSONAS)
def test_company_dashboard_for_each_persona(
    client: Client, world: World, okrs, persona: str
) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(client, world, persona).get("/insights/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Company dashboard" in html
    assert "Website visits" in html  # its end-of-cycle risk
    assert "End-of-cycle risk" in html
    assert ("Private growth plan" in html) is (persona != "outsider")


@pytest.mark.parametrize(
    "url",
    [
        "/insights/",
        "/insights/risks/",
        "/insights/facts/",
        "/insights/units/{unit}/",
        "/insights/people/{person}/",
        "/insights/key-results/{kr}/",
        "/insights/cycles/{cycle}/review/",
    ],
)
def test_pages_refuse_post_and_anonymous(client: Client, world: World, okrs, url: str) -> None:  # type: ignore[no-untyped-def]
    url = url.format(
        unit=world.marketing.pk, person=world.member.pk, kr=okrs["visits"].pk, cycle=world.cycle.pk
    )
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    assert signed_in(client, world, "member").post(url).status_code == 405


def test_users_outside_the_organisation_get_404(client: Client, world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    get_user_model().objects.create_user(username="stranger", password=PASSWORD)
    assert client.login(username="stranger", password=PASSWORD)
    assert client.get("/insights/").status_code == 404
    assert client.get(f"/insights/key-results/{okrs['visits'].pk}/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_unit_and_person_dashboards(client: Client, world: World, okrs, persona: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(client, world, persona)
    unit_page = client.get(f"/insights/units/{world.marketing.pk}/")
    assert unit_page.status_code == 200
    assert "Own SEO for brand consulting" in unit_page.content.decode()
    person_page = client.get(f"/insights/people/{world.member.pk}/").content.decode()
    assert ("Private growth plan" in person_page) is (persona != "outsider")
    # Calibration is the person's own business, their managers' and admins'.
    sees_calibration = persona in ("admin", "lead", "member")
    assert ("Only this person, their managers" in person_page) is not sees_calibration
    assert client.get("/insights/units/999999/").status_code == 404
    assert client.get("/insights/people/999999/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_key_result_chart_of_a_private_objective(
    client: Client, world: World, okrs, persona: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    kr = KeyResult.objects.get(objective=okrs["private"])
    assert (
        signed_in(client, world, persona).get(f"/insights/key-results/{kr.pk}/").status_code
        == status
    )


def test_key_result_chart_draws_actual_pace_and_forecast(
    client: Client, world: World, okrs
) -> None:  # type: ignore[no-untyped-def]
    html = (
        signed_in(client, world, "member")
        .get(f"/insights/key-results/{okrs['visits'].pk}/")
        .content.decode()
    )
    assert '<polyline class="actual"' in html
    assert '<polyline class="pace"' in html
    assert '<polygon class="band"' in html
    assert "Chance of reaching 100%" in html
    assert "Forecast" in html and "Agree a recovery plan" in html
    assert (
        signed_in(client, world, "member").get("/insights/key-results/999999/").status_code == 404
    )


def test_risk_list_filters(client: Client, world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(client, world, "lead")
    everything = client.get("/insights/risks/").content.decode()
    assert "Website visits" in everything and "Not aligned to any objective" in everything
    only = client.get("/insights/risks/?kind=off_course").content.decode()
    assert "Not aligned to any objective" in only and "Website visits" not in only
    assert client.get("/insights/risks/?kind=nonsense&severity=x").status_code == 200
    # An empty filtered list does not claim every key result is on course (#15).
    none = client.get("/insights/risks/?kind=sudden&severity=low").content.decode()
    assert "No risk matches these filters." in none
    assert "every key result is on course" not in none
    assert (
        "Website visits"
        in client.get(f"/insights/risks/?unit={world.marketing.pk}").content.decode()
    )


def test_facts_page_measures_the_five_benefits(client: Client, world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    html = signed_in(client, world, "admin").get("/insights/facts/").content.decode()
    for name in ("Focus", "Alignment", "Commitment", "Tracking", "Stretching"):
        assert f">{name}</h2>" in html
    assert "objectives below the company level contribute" in html


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 403), ("member", 403), ("outsider", 403)]
)
def test_closing_a_cycle_from_the_review(
    client: Client, world: World, okrs, persona: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(client, world, persona)
    review = client.get(f"/insights/cycles/{world.cycle.pk}/review/").content.decode()
    assert ("Close Q2 2026" in review) is (persona == "admin")
    response = client.post(f"/insights/cycles/{world.cycle.pk}/close/", {"targets": "original"})
    assert response.status_code == status
    world.cycle.refresh_from_db()
    assert (world.cycle.state == CycleState.CLOSED) is (persona == "admin")
    assert client.get(f"/insights/cycles/{world.cycle.pk}/close/").status_code == 405
    if persona == "admin":
        assert world.cycle.closing.use_original_targets is True
        final = client.get(f"/insights/cycles/{world.cycle.pk}/review/").content.decode()
        assert "Final grades" in final and "Close Q2 2026" not in final


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 403), ("outsider", 403)]
)
def test_reflection_form(client: Client, world: World, okrs, persona: str, status: int) -> None:  # type: ignore[no-untyped-def]
    objective = okrs["marketing"]  # the department's: its lead and admins may write
    client = signed_in(client, world, persona)
    assert client.get(f"/insights/objectives/{objective.pk}/reflection/").status_code == status
    response = client.post(
        f"/insights/objectives/{objective.pk}/reflection/",
        {
            "went_well": "Content calendar kept",
            "went_badly": "SEO agency late",
            "lessons": "Hire in-house",
        },
    )
    assert response.status_code == (302 if status == 200 else status)
    saved = Reflection.objects.filter(objective=objective).first()
    assert (saved is not None) is (status == 200)
    if saved is not None:
        saved.refresh_from_db()
        assert saved.went_badly == "SEO agency late"
        assert response["Location"].endswith(f"#objective-{objective.pk}")


def test_reflection_errors_are_shown_and_nothing_saved(client: Client, world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    objective = okrs["marketing"]
    response = signed_in(client, world, "lead").post(
        f"/insights/objectives/{objective.pk}/reflection/",
        {"went_well": " ", "went_badly": "", "lessons": ""},
    )
    assert response.status_code == 400
    assert "Write at least one of the three answers." in response.content.decode()
    assert not Reflection.objects.exists()
    private = okrs["private"]
    assert (
        signed_in(client, world, "outsider")
        .get(f"/insights/objectives/{private.pk}/reflection/")
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 403), ("outsider", 403)]
)
def test_carry_over_from_the_review(
    client: Client, world: World, okrs, persona: str, status: int
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    later = create_cycle(
        None, name="Q3 2026", start_date=date(2026, 7, 1), end_date=date(2026, 9, 30)
    )
    close_cycle(None, world.cycle)
    objective = okrs["marketing"]
    client = signed_in(client, world, persona)
    response = client.post(f"/insights/objectives/{objective.pk}/carry-over/", {"cycle": later.pk})
    assert response.status_code == status
    assert CarryOver.objects.filter(source=objective).exists() is (status == 302)
    assert client.get(f"/insights/objectives/{objective.pk}/carry-over/").status_code == 405
    if status == 302:
        page = client.get(f"/insights/cycles/{world.cycle.pk}/review/").content.decode()
        assert "Carried into Q3 2026" in page


def test_reports_download_in_each_format(client: Client, world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(client, world, "member")
    url = f"/insights/cycles/{world.cycle.pk}/report"
    pdf = client.get(f"{url}.pdf?lang=vi")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "review-q2-2026-vi.pdf" in pdf["Content-Disposition"]
    xlsx = client.get(f"{url}.xlsx?lang=en")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Summary", "Objectives", "Key results"]
    titles = [row[1] for row in book["Objectives"].iter_rows(min_row=2, values_only=True)]
    assert "Own SEO for brand consulting" in titles and "Private growth plan" in titles
    rows = list(csv.reader(io.StringIO(client.get(f"{url}.csv").content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Cycle", "Unit", "Objective", "Key result"]
    assert any(row[3] == "Website visits" for row in rows[1:])
    assert client.get(f"{url}.docx").status_code == 404
    outsider = signed_in(Client(), world, "outsider").get(f"{url}.csv").content.decode("utf-8-sig")
    assert "Private growth plan" not in outsider


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/insights/",
        "/insights/risks/",
        "/insights/facts/",
        "/insights/units/{unit}/",
        "/insights/people/{person}/",
        "/insights/cycles/{cycle}/review/",
        "/insights/key-results/{kr}/",
    ],
)
def test_query_counts_do_not_grow_with_the_data(
    client: Client, world: World, okrs, url: str
) -> None:  # type: ignore[no-untyped-def]
    url = url.format(
        unit=world.marketing.pk, person=world.member.pk, kr=okrs["visits"].pk, cycle=world.cycle.pk
    )
    client = signed_in(client, world, "lead")
    more_okrs(world, okrs["company"], 2)
    count_queries(client, url)  # the first view after a change stores the refreshed insights
    small = count_queries(client, url)
    more_okrs(world, okrs["company"], 8)
    count_queries(client, url)
    assert count_queries(client, url) == small


def test_closed_review_query_count_does_not_grow(client: Client, world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from okrflow.cycles.actions import activate_cycle

    client = signed_in(client, world, "admin")
    close_cycle(None, world.cycle)
    small = count_queries(client, f"/insights/cycles/{world.cycle.pk}/review/")
    later = create_cycle(
        None, name="Q3 2026", start_date=date(2026, 7, 1), end_date=date(2026, 9, 30)
    )
    activate_cycle(None, later)
    for n in range(9):
        objective_with(
            world,
            world.marketing,
            f"Later {n}",
            [{"title": "KR", "start_value": 0, "target_value": 5, "due_date": date(2026, 9, 30)}],
            cycle=later,
        )
    close_cycle(None, later)
    assert ObjectiveGrade.objects.filter(objective__cycle=later).count() == 9
    assert count_queries(client, f"/insights/cycles/{later.pk}/review/") == small


def test_a_large_review_shows_departments_and_one_department_at_a_time(
    client: Client, world: World, okrs, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.views import review as review_view

    monkeypatch.setattr(review_view, "REVIEW_LINES_LIMIT", 2)
    monkeypatch.setattr(review_view, "REVIEW_PAGE", 1)
    more_okrs(world, okrs["company"], 2)  # marketing now has three objectives
    client = signed_in(client, world, "admin")
    url = f"/insights/cycles/{world.cycle.pk}/review/"
    first = client.get(url).content.decode()
    assert "Departments" in first and "Page 1 of" not in first  # the company's one objective
    assert "Lead the market" in first and "Own SEO for brand consulting" not in first
    marketing = client.get(f"{url}?section={world.marketing.pk}").content.decode()
    assert "Own SEO for brand consulting" in marketing and "Lead the market" not in marketing
    assert "Page 1 of 4" in marketing  # three objectives and the member's private one
    for query in ("?section=abc", "?section=999999", f"?section={world.marketing.pk}&page=x"):
        assert client.get(f"{url}{query}").status_code == 200


def test_review_totals_match_the_grades_of_every_objective(world: World, okrs) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.collect import visible_objectives
    from okrflow.insights.review import build_review, review_totals

    more_okrs(world, okrs["company"], 3)
    visible = visible_objectives(None, world.cycle)
    full = build_review(world.cycle, visible)
    totals = review_totals(world.cycle, visible)
    assert totals is not None
    assert totals.objectives == len(full.lines) == 6
    assert totals.mean_score == full.mean_score
    assert totals.bands == full.bands
    assert totals.success_rate("committed") == full.success_rate("committed")
    assert [s.name for s in totals.sections] == [s.name for s in full.sections]
    close_cycle(None, world.cycle)
    frozen = review_totals(world.cycle, visible)
    assert frozen is not None and frozen.mean_score == build_review(world.cycle, visible).mean_score


def test_reports_narrow_to_a_unit_and_send_a_large_one_to_the_command(
    client: Client, world: World, okrs, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.views import reports as report_view

    client = signed_in(client, world, "admin")
    url = f"/insights/cycles/{world.cycle.pk}/report"
    response = client.get(f"{url}.csv?unit={world.marketing.pk}")
    assert "marketing" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row[2] for row in rows[1:]}
    assert "Own SEO for brand consulting" in titles and "Lead the market" not in titles
    assert client.get(f"{url}.csv?unit=999999").status_code == 404
    assert client.get(f"{url}.csv?unit=abc").status_code == 200  # ignored: the whole review

    monkeypatch.setattr(report_view, "WEB_REPORT_LIMIT", 1)
    page = client.get(f"{url}.pdf?lang=vi").content.decode()
    assert "okrflow report --cycle" in page and f"unit={world.marketing.pk}" in page


def test_the_company_heat_map_keeps_to_departments_when_units_are_many(
    client: Client, world: World, okrs, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.views import dashboards

    objective_with(
        world,
        world.content_team,
        "Publish weekly",
        [{"title": "Articles", "start_value": 0, "target_value": 52}],
    )
    client = signed_in(client, world, "admin")
    rows = [row.unit.name for row in client.get("/insights/").context["heat"].rows]
    assert world.content_team.name in rows
    monkeypatch.setattr(dashboards, "HEAT_ROWS_ON_DASHBOARD", 2)
    rows = [row.unit.name for row in client.get("/insights/").context["heat"].rows]
    assert world.content_team.name not in rows and world.marketing.name in rows


def map_titles(html: str) -> list[str]:
    return re.findall(r'<span class="ins-map-title"><a href="[^"]*">([^<]*)</a>', html)


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "teammate", "outsider"])
def test_the_alignment_map_shows_its_first_rows_and_the_rest_a_page_at_a_time(
    client: Client, world: World, okrs, monkeypatch, persona: str
) -> None:  # type: ignore[no-untyped-def]
    """The dashboard draws a bounded map; "Show more" brings the next rows, in the same order,
    until every objective the reader may see is shown, and no other."""
    from okrflow.insights.views import dashboards

    more_okrs(world, okrs["company"], 4)
    client = signed_in(client, world, persona)
    monkeypatch.setattr(dashboards, "MAP_ROWS_ON_DASHBOARD", 1000)
    whole = map_titles(client.get("/insights/").content.decode())
    assert len(whole) >= 6
    assert ("Private growth plan" in whole) is (persona in {"admin", "lead", "member"})
    monkeypatch.setattr(dashboards, "MAP_ROWS_ON_DASHBOARD", 2)
    html = client.get("/insights/").content.decode()
    shown, pages = map_titles(html), 0
    assert len(shown) == 2
    while (more := re.search(r'hx-get="(/insights/map/\?[^"]*)"', html)) is not None:
        html = client.get(more.group(1).replace("&amp;", "&"), HTTP_HX_REQUEST="true").content
        html = html.decode()
        shown += map_titles(html)
        pages += 1
    assert shown == whole
    assert pages == (len(whole) - 1) // 2


def test_the_alignment_map_rows_ask_to_sign_in_and_read_a_bad_position_as_the_start(
    client: Client, world: World, okrs
) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/insights/map/").status_code == 302
    client = signed_in(client, world, "admin")
    first = map_titles(client.get("/insights/map/?after=x'").content.decode())
    assert first and first == map_titles(client.get("/insights/map/").content.decode())
    assert client.post("/insights/map/").status_code == 405
