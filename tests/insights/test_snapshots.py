"""Stored insights: what a refresh writes, when pages refresh by themselves, and large cycles."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.models import HeatSnapshot, InsightRefresh, ObjectiveSnapshot, RiskSnapshot
from okrflow.insights.risks import find_risks
from okrflow.insights.snapshots import refresh_cycle, stored_insights
from okrflow.insights.stored import Scope, stored_heat_map, summarise_stored
from okrflow.library import bulk_insert
from okrflow.okrs.models import Objective
from okrflow.org.models import OrgUnit
from tests.conftest import PASSWORD, World
from tests.insights.conftest import friday, moment, objective_with, record_weekly

pytestmark = pytest.mark.django_db


def two_teams(world: World) -> dict[str, object]:
    """Marketing (behind pace) and sales (on pace), each with one KR and a weekly history."""
    company, _ = objective_with(
        world,
        world.company,
        "Lead the market",
        [{"title": "Share", "start_value": 10, "target_value": 20, "owner": world.ceo}],
    )
    marketing, (visits,) = objective_with(
        world,
        world.marketing,
        "Own SEO",
        [{"title": "Visits", "start_value": 0, "target_value": 100}],
        parent=company,
    )
    sales, (deals,) = objective_with(
        world,
        world.sales,
        "Close deals",
        [{"title": "Deals", "start_value": 0, "target_value": 100}],
        parent=company,
    )
    record_weekly(visits, [2, 4, 6, 8, 10, 12, 14, 16])
    record_weekly(deals, [6, 12, 18, 24, 30, 36, 42, 48])
    return {"company": company, "marketing": marketing, "sales": sales, "visits": visits}


def everything(world: World, refresh: InsightRefresh) -> Scope:
    return Scope(world.cycle, refresh, visible_objectives(None, world.cycle).values("pk"))


def test_a_refresh_stores_every_live_objective_and_the_rules_risks(world: World, today) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    refresh = refresh_cycle(world.cycle)
    live = collect_insights(world.cycle, visible_objectives(None, world.cycle), today)
    assert refresh.computed_on == today
    assert refresh.objectives == 3 and refresh.key_results == 3
    stored = {row.objective_id: row for row in ObjectiveSnapshot.objects.all()}
    for oi in live.objectives:
        row = stored[oi.objective.pk]
        assert row.status == oi.report.status.value
        assert row.progress == pytest.approx(oi.report.progress)
        assert row.forecast == pytest.approx(oi.forecast)
        assert row.outlook == oi.outlook
    found = sorted((item.risk.kind.value, item.risk.key_result_id) for item in find_risks(live))
    assert found  # marketing at 16% in week 8 of 13 is far behind: the rules must say so
    assert sorted(RiskSnapshot.objects.values_list("kind", "key_result_id")) == found
    company_row = stored[okrs["company"].pk]
    assert (company_row.map_depth, company_row.map_order) == (0, 0)
    assert {stored[okrs["marketing"].pk].map_depth, stored[okrs["sales"].pk].map_depth} == {1}


def test_the_heat_map_rolls_teams_up_into_the_company(world: World, today) -> None:  # type: ignore[no-untyped-def]
    two_teams(world)
    refresh = refresh_cycle(world.cycle)
    units = list(OrgUnit.objects.order_by("path"))
    heat = stored_heat_map(everything(world, refresh), units, max_depth=2)
    rows = {row.unit.name: row for row in heat.rows}
    week_8 = heat.days.index(friday(8))
    # Marketing's visits stand at 16/100, sales' deals at 48/100 on the Friday of week 8.
    assert rows[world.marketing.name].cells[week_8].progress == pytest.approx(0.16)
    assert rows[world.sales.name].cells[week_8].progress == pytest.approx(0.48)
    # The company row averages the key results below it that have a value (the share has none).
    assert rows[world.company.name].cells[week_8].progress == pytest.approx((0.16 + 0.48) / 2)
    assert rows[world.company.name].key_results == 3
    assert rows[world.marketing.name].cells[week_8].level == "bad"


def test_counts_follow_what_the_reader_may_see(world: World, today) -> None:  # type: ignore[no-untyped-def]
    two_teams(world)
    private, _ = objective_with(
        world,
        world.member,
        "Private plan",
        [{"title": "Courses", "start_value": 0, "target_value": 4}],
    )
    Objective.objects.filter(pk=private.pk).update(is_private=True)
    refresh = refresh_cycle(world.cycle)
    admin = Scope(
        world.cycle, refresh, visible_objectives(world.admin.user, world.cycle).values("pk")
    )
    other_department = Scope(
        world.cycle, refresh, visible_objectives(world.sales_head.user, world.cycle).values("pk")
    )
    assert summarise_stored(admin, {}).objectives == 4
    assert summarise_stored(other_department, {}).objectives == 3


def test_a_small_cycle_refreshes_when_its_data_or_the_day_changes(world: World, today) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    first = stored_insights(world.cycle)
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        again = stored_insights(world.cycle)
    assert again is not None and again.fingerprint == first.fingerprint
    assert len(queries) == 2  # the stored row and the one-query fingerprint
    record_weekly(okrs["visits"], [60], first_week=8)
    changed = stored_insights(world.cycle)
    assert changed is not None and changed.fingerprint != first.fingerprint
    marketing = ObjectiveSnapshot.objects.get(objective=okrs["marketing"])
    assert marketing.progress == pytest.approx(0.60)
    with time_machine.travel(moment(today + datetime.timedelta(days=1)), tick=False):
        tomorrow = stored_insights(world.cycle)
    assert tomorrow is not None and tomorrow.computed_on == today + datetime.timedelta(days=1)


def test_a_refresh_costs_the_same_queries_at_any_size(world: World, today) -> None:  # type: ignore[no-untyped-def]
    two_teams(world)

    def refresh_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            refresh_cycle(world.cycle)
        return len(queries)

    refresh_queries()
    small = refresh_queries()
    for n in range(12):
        _, (kr,) = objective_with(
            world,
            world.sales,
            f"Campaign {n}",
            [{"title": f"Leads {n}", "start_value": 0, "target_value": 50}],
        )
        record_weekly(kr, [1, 2, 3])
    assert refresh_queries() == small
    assert HeatSnapshot.objects.filter(cycle=world.cycle).count() > 12


@pytest.mark.parametrize("url", ["/insights/", "/insights/risks/", "/insights/facts/"])
def test_a_large_cycle_waits_for_the_command_and_shows_when_it_was_computed(
    client: Client, world: World, today, settings, url: str
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    okrs = two_teams(world)
    assert client.login(username=world.admin.user.username, password=PASSWORD)
    page = client.get(url).content.decode()
    assert "being prepared" in page and "okrflow refresh-insights" in page
    assert not InsightRefresh.objects.exists()

    out = io.StringIO()
    call_command("refresh-insights", "--json", stdout=out)
    (result,) = json.loads(out.getvalue())
    assert result["key_results"] == 3 and result["skipped"] is False
    page = client.get(url).content.decode()
    assert "being prepared" not in page and "computed at" in page
    stamp = InsightRefresh.objects.get().computed_at

    record_weekly(okrs["visits"], [90], first_week=8)
    client.get(url)
    assert InsightRefresh.objects.get().computed_at == stamp  # not recomputed by a page view
    out = io.StringIO()
    call_command("refresh-insights", "--if-changed", stdout=out)
    assert "3 key results" in out.getvalue()
    out = io.StringIO()
    call_command("refresh-insights", "--if-changed", stdout=out)
    assert "unchanged, skipped" in out.getvalue()


def test_a_change_in_a_large_cycle_updates_its_objective_at_once(
    world: World, today, settings, committed
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
    from okrflow.engine.cadence import week_start

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    with committed():
        okrs = two_teams(world)  # committed before anything is stored: nothing to update
    refresh_cycle(world.cycle)
    fingerprint = InsightRefresh.objects.get().fingerprint
    sales_before = ObjectiveSnapshot.objects.get(objective=okrs["sales"])
    assert ObjectiveSnapshot.objects.get(objective=okrs["marketing"]).progress == pytest.approx(
        0.16
    )

    with committed():
        record_checkin(
            None,
            person=world.member,
            cycle=world.cycle,
            week=week_start(today),
            data=CheckInInput(
                lines={okrs["visits"].pk: LineInput(value="70", confidence="high", note="")},
                obstacles="",
                confidence="high",
            ),
        )
    marketing = ObjectiveSnapshot.objects.get(objective=okrs["marketing"])
    assert marketing.progress == pytest.approx(0.70)
    assert (marketing.map_order, marketing.map_depth) != (0, 0)  # kept its place in the map
    assert ObjectiveSnapshot.objects.get(objective=okrs["sales"]).pk == sales_before.pk  # untouched
    assert InsightRefresh.objects.get().fingerprint == fingerprint  # the full run still comes

    with committed():
        new, _ = objective_with(
            world,
            world.sales,
            "Open a second office",
            [{"title": "Office", "start_value": 0, "target_value": 1}],
            parent=okrs["company"],
        )
    row = ObjectiveSnapshot.objects.get(objective=new)
    assert row.map_depth == 1 and row.key_results == 1


def test_a_failing_live_update_never_breaks_the_saved_change(
    world: World, today, settings, committed, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights import snapshots

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    with committed():
        okrs = two_teams(world)
    refresh_cycle(world.cycle)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(snapshots, "refresh_objectives", broken)
    assert "Could not refresh" not in caplog.text
    with committed():
        record_weekly(okrs["visits"], [50], first_week=8)
    assert okrs["visits"].values.order_by("-id").first().value == 50
    assert "Could not refresh stored insights" in caplog.text


def test_closing_a_large_cycle_drops_its_risks_and_the_command_recomputes_it(
    world: World, today, settings, committed
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.actions import close_cycle

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    with committed():
        two_teams(world)
    refresh_cycle(world.cycle)
    assert RiskSnapshot.objects.filter(cycle=world.cycle).exists()
    with (
        time_machine.travel(moment(today, 15), tick=False),
        committed(),
    ):
        close_cycle(None, world.cycle)
    assert not RiskSnapshot.objects.filter(cycle=world.cycle).exists()
    out = io.StringIO()
    with time_machine.travel(moment(today, 16), tick=False):
        call_command("refresh-insights", "--json", stdout=out)
    (result,) = json.loads(out.getvalue())
    assert result["cycle"] == world.cycle.name and result["risks"] == 0
    out = io.StringIO()
    call_command("refresh-insights", stdout=out)
    assert "No open cycle to refresh." in out.getvalue()  # closed and computed since: done


def test_refresh_insights_names_the_cycles_there_are_for_a_wrong_name(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"No cycle named “Q9 2099”\. Cycles: Q2 2026"):
        call_command("refresh-insights", "--cycle", "Q9 2099", stdout=io.StringIO())
    assert not InsightRefresh.objects.exists()


def test_a_transaction_of_many_changes_refreshes_once_after_it_commits(
    world: World, today, settings, committed, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from okrflow.insights import snapshots
    from okrflow.insights.live_updates import refresh_pending

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    with committed():
        okrs = two_teams(world)
    refresh_cycle(world.cycle)
    calls: list[set[int]] = []
    real = snapshots.refresh_objectives

    def counted(cycle, objective_ids, today=None, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(set(objective_ids))
        return real(cycle, objective_ids, today, **kwargs)

    monkeypatch.setattr(snapshots, "refresh_objectives", counted)
    with committed() as callbacks, transaction.atomic():
        created = [
            objective_with(
                world,
                world.sales,
                f"Import {n}",
                [{"title": f"KR {n}", "start_value": 0, "target_value": 10}],
                parent=okrs["company"],
            )[0]
            for n in range(3)
        ]
    assert len(calls) == 1
    assert callbacks.count(refresh_pending) == 1  # one callback for the transaction's rows
    assert {objective.pk for objective in created} | {okrs["company"].pk} == calls[0]
    assert ObjectiveSnapshot.objects.filter(objective__in=created).count() == 3


def test_derived_rows_are_stored_in_batches_without_their_ids(world: World, today) -> None:  # type: ignore[no-untyped-def]
    """The snapshot rows go in as tuples by COPY without ids on PostgreSQL (one COPY a batch,
    in the query log), by multi-row inserts elsewhere: the same rows either way."""
    from okrflow.insights import snapshots

    okrs = two_teams(world)
    objective = okrs["marketing"]
    cells = [
        snapshots.HeatRow(
            objective_id=objective.pk,  # type: ignore[attr-defined]
            cycle_id=world.cycle.pk,
            unit_id=world.marketing.pk,
            day=world.cycle.start_date + datetime.timedelta(days=n),
            progress_sum=n / 10,
            pace_sum=0.5,
            known=n,
        )
        for n in range(7)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshots, "COPY_BATCH", 3)
        with CaptureQueriesContext(connection) as queries:
            snapshots.write_rows(HeatSnapshot, cells)
    stored = HeatSnapshot.objects.filter(cycle=world.cycle).order_by("day")
    assert [(c.day, c.progress_sum, c.pace_sum, c.known, c.unit_id) for c in stored] == [
        (c.day, c.progress_sum, c.pace_sum, c.known, c.unit_id) for c in cells
    ]
    assert len({c.pk for c in stored}) == 7
    if connection.vendor == "postgresql":
        assert len(queries) == 3  # one COPY a batch of 3, no ids drawn from the sequence
        assert all(query["sql"].startswith("COPY") for query in queries.captured_queries)


@pytest.mark.parametrize("model", [ObjectiveSnapshot, HeatSnapshot, RiskSnapshot])
def test_the_rows_written_hold_the_models_columns_in_their_order(model) -> None:  # type: ignore[no-untyped-def]
    """A refresh builds its rows as tuples in the order of the model's columns: a column added,
    dropped, renamed or moved in the model and not in the row type fails here (and on writing),
    rather than storing a figure in another column's place."""
    from okrflow.insights.snapshots import ROW_TYPES

    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    assert list(ROW_TYPES[model]._fields) == fields
    swapped = list(ROW_TYPES[model]._fields)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    with pytest.raises(ValueError, match="rows must hold"):
        bulk_insert.check_columns(model, swapped)


def test_stored_rows_read_back_as_built(world: World, today) -> None:  # type: ignore[no-untyped-def]
    """Every column of every row a refresh builds reads back from the database as it was built
    (tuples written by position: a column in another's place would read back elsewhere)."""
    from okrflow.insights import snapshots
    from okrflow.insights.collect import visible_objectives

    two_teams(world)
    refresh_cycle(world.cycle, today)
    rows = snapshots.compute_rows(
        world.cycle,
        visible_objectives(None, world.cycle),
        today,
        lambda insights: snapshots.cycle_places(world.cycle),
    )
    assert rows.objectives and rows.cells and rows.risks
    for model, built, key in (
        (ObjectiveSnapshot, rows.objectives, ("objective_id",)),
        (HeatSnapshot, rows.cells, ("objective_id", "day")),
        (RiskSnapshot, rows.risks, ("rank",)),
    ):
        names = list(snapshots.ROW_TYPES[model]._fields)
        stored = {
            tuple(row[name] for name in key): tuple(row[name] for name in names)
            for row in model.objects.filter(cycle=world.cycle).values(*names)
        }
        assert stored == {tuple(getattr(row, name) for name in key): tuple(row) for row in built}


def test_stored_grade_preview_is_the_objectives_grade(world: World, today) -> None:  # type: ignore[no-untyped-def]
    """The snapshot's score, band and success come from the key results' measured progress
    (`grading.preview_grade`): the same as grading each key result from its figures."""
    from okrflow.engine import grading
    from okrflow.insights.collect import collect_insights, visible_objectives

    two_teams(world)
    _stretch, (first, second) = objective_with(
        world,
        world.sales,
        "Stretch",
        [
            {"title": "Calls", "start_value": 0, "target_value": 10},
            {"title": "Demos", "start_value": 0, "target_value": 10},
        ],
        kind="aspirational",
    )
    record_weekly(first, [3, 7.96])
    record_weekly(second, [10])
    refresh_cycle(world.cycle, today)
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), today)
    stored = {
        row.objective_id: (row.score, row.band, row.success)
        for row in ObjectiveSnapshot.objects.filter(cycle=world.cycle)
    }
    assert len(stored) == len(insights.objectives) > 2
    for oi in insights.objectives:
        grade = grading.grade_objective(
            oi.objective.pk,
            oi.objective.kind,
            [(kri.key_result.pk, kri.figures, kri.key_result.weight) for kri in oi.key_results],
        )
        assert stored[oi.objective.pk] == (grade.score, grade.band.value, grade.success)
    assert {score for score, _band, _success in stored.values()} != {Decimal("0.00")}


def test_refresh_insights_gathers_sqlites_planner_statistics(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    """SQLite gathers none by itself: without them its planner reads a cycle's every snapshot
    to find a reader's few private objectives (PostgreSQL's autovacuum gathers its own)."""
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    two_teams(world)
    call_command("refresh-insights", stdout=io.StringIO())
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        analysed = {table for (table,) in cursor.fetchall()}
    assert {"insights_objectivesnapshot", "insights_risksnapshot", "okrs_objective"} <= analysed


def test_a_chunk_selects_its_key_results_history_by_their_ids(world: World, today) -> None:  # type: ignore[no-untyped-def]
    """A full refresh's chunk names its objectives' and key results' ids: PostgreSQL planned the
    subquery on the chunk's filter as a scan of every key result and value of the cycle. The
    rows are those computed through the subquery."""
    from okrflow.insights import snapshots

    two_teams(world)
    places = snapshots.cycle_places(world.cycle)
    ((chunk, ids),) = list(snapshots.objective_chunks(world.cycle))
    assert ids is not None
    assert sorted(ids) == sorted(chunk.values_list("pk", flat=True))
    by_subquery = snapshots.compute_rows(world.cycle, chunk, today, lambda _insights: places)
    with CaptureQueriesContext(connection) as queries:
        by_ids = snapshots.compute_rows(
            world.cycle, chunk, today, lambda _insights: places, ids=ids
        )
    assert by_ids == by_subquery
    history = [q["sql"] for q in queries.captured_queries if "okrs_keyresultvalue" in q["sql"]]
    assert history and all("okrs_objective" not in sql for sql in history)


def test_too_many_key_results_to_list_are_selected_by_a_subquery(  # type: ignore[no-untyped-def]
    world: World, today, monkeypatch
) -> None:
    """Past `LISTED_KEY_RESULTS` (a database's limit of parameters a query), a chunk's history is
    selected by a subquery on its listed objectives: the same rows."""
    from okrflow.insights import collect, snapshots

    two_teams(world)
    places = snapshots.cycle_places(world.cycle)
    ((chunk, ids),) = list(snapshots.objective_chunks(world.cycle))
    listed = snapshots.compute_rows(world.cycle, chunk, today, lambda _insights: places, ids=ids)
    monkeypatch.setattr(collect, "LISTED_KEY_RESULTS", 1)
    with CaptureQueriesContext(connection) as queries:
        selected = snapshots.compute_rows(
            world.cycle, chunk, today, lambda _insights: places, ids=ids
        )
    assert selected == listed
    history = [q["sql"] for q in queries.captured_queries if "okrs_keyresultvalue" in q["sql"]]
    assert history and all('FROM "okrs_keyresult" ' in sql for sql in history)
