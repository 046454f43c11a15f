"""The insights pages' reads of the reader's scope run from statements compiled once per form
(`compiled_reads.formed_rows` / `formed_values`): each is tested equal to the queryset it
stands for, and the filters rebuilt from a form's values equal the ones they replace (the
reader's led units, the private objectives they see otherwise, as `Access` writes them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from okrflow import compiled_reads
from okrflow.compiled_reads import formed_rows, formed_values
from okrflow.insights import totals
from okrflow.insights.models import ObjectiveSnapshot, RiskSnapshot
from okrflow.insights.review import SectionIds, StoredSection, section_rows
from okrflow.insights.snapshots import refresh_cycle
from okrflow.insights.stored import Scope, scope_rows, top_risks, viewer_scope
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person
from tests.conftest import World
from tests.insights.test_page_queries import grow
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db

PERSONAS = ("admin", "ceo", "lead", "member", "teammate", "sales_head", "outsider")


def units_of(paths: list[str]) -> Any:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return OrgUnit.objects.filter(query).order_by("pk").values_list("pk", flat=True)


def test_formed_reads_equal_their_querysets_and_compile_once(
    world: World, monkeypatch: Any
) -> None:
    compiled = []
    compile_formed = compiled_reads.compile_formed
    monkeypatch.setattr(
        compiled_reads,
        "compile_formed",
        lambda *args: compiled.append(args[1:]) or compile_formed(*args),
    )

    def units(values: list[Any]) -> Any:
        return (
            OrgUnit.objects.filter(Q(path__startswith=values[0]) | Q(pk__in=values[1]))
            .exclude(pk=values[2])
            .order_by("pk")
        )

    company, marketing, sales = world.company, world.marketing, world.sales
    for values in [
        (marketing.path, (sales.pk,), world.content_team.pk),
        (sales.path, (company.pk,), sales.pk),
        (company.path, (marketing.pk,), marketing.pk),
    ]:
        expected = list(units(list(values)))
        with CaptureQueriesContext(connection) as queries:
            found = formed_rows("test units", None, units, "default", values)
        assert len(queries) == 1
        assert found == expected
        assert [unit.path for unit in found] == [unit.path for unit in expected]
        assert formed_values(
            "test unit paths", None, lambda v: units(v).values_list("pk", "path"), "default", values
        ) == list(units(list(values)).values_list("pk", "path"))
    # One compiling per statement and form, whatever the values.
    assert len(compiled) == 2
    # Another form (two ids): compiled again; its rows equal the queryset's too.
    values = (company.path, (marketing.pk, sales.pk), company.pk)
    assert formed_rows("test units", None, units, "default", values) == list(units(list(values)))
    assert len(compiled) == 3
    # A text the stand-ins cannot take (a LIKE wildcard), or a repeated id: run as it is.
    for values in [("/%", (sales.pk,), sales.pk), (company.path, (sales.pk, sales.pk), 0)]:
        assert formed_rows("test units", None, units, "default", values) == list(
            units(list(values))
        )
    assert len(compiled) == 3


def viewers(world: World) -> dict[str, totals.Viewer]:
    return {name: totals.viewer_for(getattr(world, name).user, world.cycle) for name in PERSONAS}


def test_a_viewers_rows_are_what_its_led_units_and_private_objectives_select(
    world: World,
) -> None:
    two_teams(world)
    grow(world, 9, 0)
    refresh_cycle(world.cycle)
    for name, viewer in viewers(world).items():
        access = access_for(getattr(world, name).user)
        # The led units rebuilt from their paths select what `Access.led_units_query` does.
        if viewer.led:
            assert viewer.led_paths is not None
            assert set(units_of(list(viewer.led_paths))) == set(
                access.led_units_query().values_list("pk", flat=True)
            )
        # The rows of the snapshots in view: as the filter with `Access`'s own subquery.
        if viewer.led and viewer.led_query is not None:
            expected = (
                Q(bucket=totals.PUBLIC)
                | Q(objective_id__in=sorted(viewer.extra))
                | Q(bucket=totals.PRIVATE_OWNED, unit_id__in=viewer.led_query)
            )
            snapshots = ObjectiveSnapshot.objects.filter(cycle=world.cycle)
            assert set(snapshots.filter(viewer.rows()).values_list("pk", flat=True)) == set(
                snapshots.filter(expected).values_list("pk", flat=True)
            )


def test_the_private_objectives_a_viewer_sees_are_what_access_selects(world: World) -> None:
    """`totals.private_snapshots` rebuilds `Access`'s rule from ids (one indexed read per way
    of seeing one): the same rows, for every persona."""
    two_teams(world)
    grow(world, 9, 0)
    refresh_cycle(world.cycle)
    for name in PERSONAS:
        person: Person = getattr(world, name)
        access = access_for(person.user)
        if not access.is_member or access.is_admin:
            continue
        seen = Q(owner_person=person) | access.co_owned_objectives_filter()
        if access.member_project_ids:
            seen |= Q(owner_project_id__in=sorted(access.member_project_ids))
        if access.reports_outside_led_units:
            seen |= Q(owner_person_id__in=sorted(access.reports_outside_led_units))
        private = (
            Objective.objects.filter(cycle=world.cycle, is_private=True).filter(seen).values("pk")
        )
        expected = ObjectiveSnapshot.objects.filter(objective_id__in=private).values_list(
            "objective_id", "unit_id", "bucket", "owner_kind", "owner_key"
        )
        values = [
            world.cycle.pk,
            person.pk,
            sorted(access.member_project_ids),
            sorted(access.reports_outside_led_units),
        ]
        rebuilt = totals.private_snapshots(values)
        assert sorted(rebuilt) == sorted(expected)


def test_a_scopes_compiled_reads_equal_its_querysets(world: World, rf: Any) -> None:
    two_teams(world)
    grow(world, 12, 0)
    refresh = refresh_cycle(world.cycle)
    assert refresh is not None
    for name in PERSONAS:
        user = getattr(world, name).user
        for unit in (None, world.company, world.marketing, world.content_team):
            scope: Scope = viewer_scope(world.cycle, refresh, None, user, unit)  # type: ignore[arg-type]
            shape = scope.shape()
            assert shape is not None
            form, values = shape
            viewer_rows = scope.viewer.rows() if scope.viewer else Q()  # type: ignore[union-attr]
            for model in (ObjectiveSnapshot, RiskSnapshot):
                expected = model.objects.filter(cycle=world.cycle).filter(
                    viewer_rows & scope.unit_filter()
                )
                found = scope_rows(model, form, list(values))
                assert sorted(found.values_list("pk", flat=True)) == sorted(
                    expected.values_list("pk", flat=True)
                )
            risks = scope.risks()
            assert formed_rows(
                "top risks",
                (form, 4),
                lambda shaped, form=form: top_risks(  # type: ignore[misc]
                    scope_rows(RiskSnapshot, form, shaped).order_by("rank"), 4
                ),
                "default",
                values,
            ) == list(top_risks(risks, 4))
            if unit is None:
                for section_unit in (None, world.company, world.marketing, world.sales):
                    section = StoredSection("", section_unit, 5, 0.0, 0)
                    kind = (
                        "outside"
                        if section_unit is None
                        else "company"
                        if section_unit.depth == 0
                        else "department"
                    )
                    value = (
                        None
                        if section_unit is None
                        else section_unit.pk
                        if section_unit.depth == 0
                        else section_unit.path
                    )
                    every = list(section_rows(scope.objectives(), kind, value))
                    ids = SectionIds(shape, section)
                    assert ids[0:2] + ids[2:4] + ids[4:100] == every


def test_a_review_pages_objectives_in_view_are_what_visible_to_selects(world: World) -> None:
    """`views.review.visible_page_ids` rebuilds `visible_to`'s rule from ids and paths."""
    from okrflow.insights.views.review import visible_page, visible_page_ids
    from okrflow.okrs.models import CoOwner

    two_teams(world)
    grow(world, 12, 0)
    private = list(Objective.objects.filter(cycle=world.cycle, is_private=True).order_by("pk"))
    CoOwner.objects.create(objective=private[0], person=world.sales_head)
    Objective.objects.filter(pk=private[1].pk).update(state="archived")
    every = list(Objective.objects.filter(cycle=world.cycle).values_list("pk", flat=True))
    for name in PERSONAS:
        user = getattr(world, name).user
        access = access_for(user)
        for ids in (every, every[:3], every[-4:]):
            expected = list(
                Objective.objects.live()
                .filter(cycle=world.cycle, pk__in=ids)
                .visible_to(user)
                .order_by("position", "id")
                .values_list("pk", flat=True)
            )
            assert visible_page(access_for(user), world.cycle, ids) == expected, name
        if not access.is_admin:
            assert access.person is not None
            led = tuple(access.led_unit_paths.values()) if access.led_unit_ids else ()
            values = [
                world.cycle.pk,
                every,
                access.person.pk,
                sorted(access.reports_outside_led_units),
                sorted(access.member_project_ids),
                *led,
            ]
            expected_query = (
                Objective.objects.live()
                .filter(cycle=world.cycle, pk__in=every)
                .visible_to(user)
                .order_by("position", "id")
                .values_list("pk")
            )
            assert str(visible_page_ids(values).query) == str(expected_query.query), name


def test_beyond_the_forms_kept_statements_run_as_querysets(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(compiled_reads, "_formed", {})
    monkeypatch.setattr(compiled_reads, "FORMS_KEPT", 2)

    def units(values: list[Any]) -> Any:
        return OrgUnit.objects.filter(pk__in=values[0]).order_by("pk")

    every = list(OrgUnit.objects.order_by("pk"))
    for count in range(1, len(every) + 1):
        ids = tuple(unit.pk for unit in every[:count])
        assert formed_rows("test kept", None, units, "default", (ids,)) == every[:count]
    assert len(compiled_reads._formed) == 2
