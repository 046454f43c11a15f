"""Every request's own reads (the signed-in account, their person, the check-in's cycle) run
from statements compiled once: each is tested equal to the queryset it stands for. And the bulk
insert's per-model writer, worked out once, still checks related objects as `bulk_create` does;
on PostgreSQL a statement run often is prepared."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import connection, connections, router
from django.test import Client

from okrflow.checkins.schedule import default_cycle
from okrflow.cycles.models import Cycle
from okrflow.front.middleware import person_of_user
from okrflow.library.bulk_insert import insert, writer
from okrflow.okrs.models import KeyResult, KeyResultValue
from okrflow.org.access import access_for
from okrflow.org.models import Person
from okrflow.signin.backends import EmailOrUsernameBackend
from tests.conftest import World, make_objective


def assert_same_row(found: object, expected: object, *fields: str) -> None:
    """The compiled read gave the object the queryset gives, with the same field values."""
    assert found == expected
    if expected is not None:
        assert found is not None
        assert [getattr(found, name) for name in fields] == [
            getattr(expected, name) for name in fields
        ]


def test_the_cycle_asked_for_is_what_its_queryset_reads(
    world: World, django_assert_num_queries: object
) -> None:
    later = world.cycle.end_date + datetime.timedelta(days=1)
    other = Cycle.objects.create(
        name="Next", start_date=later, end_date=later + datetime.timedelta(days=90)
    )
    for cycle in (world.cycle, other, world.cycle):
        with django_assert_num_queries(1):  # type: ignore[operator]
            found = default_cycle(str(cycle.pk))
        assert_same_row(found, Cycle.objects.get(pk=cycle.pk), "name", "start_date", "state")
    # An id no cycle has: the active cycle, as before.
    assert default_cycle(str(other.pk + 1000)) == default_cycle(None) == world.cycle


def test_a_users_person_is_what_access_reads(
    world: World, django_assert_num_queries: object
) -> None:
    nobody = User.objects.create_user("no-person", password="x")
    for user in (world.member.user, world.lead.user, world.admin.user, nobody):
        expected = (
            Person.objects.select_related("unit").filter(user_id=user.pk).first()
        )  # what `Access.person` reads
        with django_assert_num_queries(1):  # type: ignore[operator]
            found = person_of_user(user.pk)
        assert_same_row(found, expected, "full_name", "language", "unit_id")
        if found is not None and expected is not None:
            with django_assert_num_queries(0):  # type: ignore[operator]
                assert found.unit == expected.unit  # read with it


def test_a_page_takes_its_readers_person_from_the_compiled_read(world: World) -> None:
    """The middleware puts the person it read where `Access.person` keeps it: the view and the
    page see that one, not a second read."""
    client = Client()
    client.force_login(world.member.user)
    response = client.get("/checkins/")
    assert response.status_code == 200
    access = access_for(response.wsgi_request.user)
    assert access.__dict__["person"] == world.member
    assert response.context["person"] is access.person


def test_the_signed_in_account_is_what_django_reads(world: World) -> None:
    ours, django = EmailOrUsernameBackend(), ModelBackend()
    gone = User.objects.create_user("gone", password="x")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    for user_id in (world.member.user.pk, world.admin.user.pk, gone.pk, gone.pk + 1000):
        found, expected = ours.get_user(user_id), django.get_user(user_id)
        assert_same_row(found, expected, "username", "password", "is_superuser")
    assert ours.get_user(gone.pk) is None  # an inactive account is signed out


def test_the_writer_is_worked_out_once_and_checks_related_objects(world: World) -> None:
    objective = make_objective(world, world.member, "Grow")
    kr = objective.key_results.get()
    using = router.db_for_write(KeyResultValue)
    assert writer(KeyResultValue, connections[using]) is writer(KeyResultValue, connections[using])
    day = world.cycle.start_date
    # A related object given its id after it was assigned: its id is copied, as bulk_create
    # copies it.
    late = KeyResult.objects.get(pk=kr.pk)
    late.pk = None
    value = KeyResultValue(key_result=late, value=Decimal(3), measured_on=day)
    late.pk = kr.pk
    assert value.key_result_id is None
    insert(KeyResultValue, [KeyResultValue(key_result=kr, value=1, measured_on=day), value])
    assert KeyResultValue.objects.get(pk=value.pk).key_result_id == kr.pk
    # An unsaved related object is refused, as bulk_create refuses it.
    unsaved = KeyResult(objective=objective, title="Unsaved", owner=world.member)
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(KeyResultValue, [KeyResultValue(key_result=unsaved, value=1, measured_on=day)])


@pytest.mark.skipif(
    connection.vendor != "postgresql"
    or not connection.settings_dict["OPTIONS"].get("prepare_threshold"),
    reason="PostgreSQL with prepared statements (OKRFLOW_DB_PREPARE_THRESHOLD, 5 by default)",
)
def test_a_statement_run_often_is_prepared(world: World) -> None:
    """Server-side binding with a prepare threshold (OKRFLOW_DB_PREPARE_THRESHOLD, 5): from its
    fifth run on a connection a statement runs prepared, parsed and planned once."""
    for _ in range(6):
        person_of_user(world.member.user.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("user_id" in statement for statement in prepared), prepared


def test_the_unread_count_is_what_its_queryset_counts(
    world: World, django_assert_num_queries: object
) -> None:
    from django.utils import timezone

    from okrflow.compiled_reads import count_by_id
    from okrflow.notifications.context_processors import unread_of
    from okrflow.notifications.models import Notification, NotificationKind

    for n, person in enumerate([world.member, world.member, world.member, world.lead]):
        Notification.objects.create(
            recipient=person, kind=NotificationKind.COMMENT, source_key=f"comment:{n}"
        )
    Notification.objects.filter(source_key="comment:0").update(read_at=timezone.now())
    database = router.db_for_read(Notification)
    for person in (world.member, world.lead, world.outsider):
        with django_assert_num_queries(1):  # type: ignore[operator]
            counted = count_by_id("unread notifications", unread_of, database, person.pk)
        assert counted == unread_of(person.pk).count()
    assert [
        count_by_id("unread notifications", unread_of, database, person.pk)
        for person in (world.member, world.lead, world.outsider)
    ] == [2, 1, 0]


def test_every_cycle_is_what_its_queryset_reads_in_its_order(
    world: World, django_assert_num_queries: object
) -> None:
    from okrflow.compiled_reads import all_rows
    from okrflow.front.cycle_choice import every_cycle

    later = world.cycle.end_date + datetime.timedelta(days=1)
    Cycle.objects.create(name="Next", start_date=later, end_date=later + datetime.timedelta(90))
    Cycle.objects.create(name="Also next", start_date=later, end_date=later)
    database = router.db_for_read(Cycle)
    for _ in range(2):  # compiled on the first call, run as compiled on the second
        with django_assert_num_queries(1):  # type: ignore[operator]
            found = all_rows("every cycle", every_cycle, database)
        expected = list(Cycle.objects.all())
        assert [cycle.pk for cycle in found] == [cycle.pk for cycle in expected]
        fields = [field.attname for field in Cycle._meta.concrete_fields]
        assert [[getattr(c, name) for name in fields] for c in found] == [
            [getattr(c, name) for name in fields] for c in expected
        ]


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_matches_nothing(world: World) -> None:
    # A page's address may hold any number: the compiled statements answer as the querysets do.
    from okrflow.compiled_reads import count_by_id, rows_by_ids, values_by_ids

    using = router.db_for_read(Person)
    huge = [2**63, 10**30, -(2**63) - 1]
    for n, pk in enumerate(huge):
        ids = [world.member.pk, pk]
        rows = rows_by_ids(f"too large {n}", lambda i: Person.objects.filter(pk__in=i), using, ids)
        assert [row.pk for row in rows] == [world.member.pk]
        values = values_by_ids(
            f"too large {n}",
            lambda i: Person.objects.filter(pk__in=i).values_list("pk"),
            using,
            ids,
        )
        assert values == [(world.member.pk,)]
        counted = count_by_id(f"too large {n}", lambda i: Person.objects.filter(pk=i), using, pk)
        assert counted == 0
