"""Weights saved before the column checks existed are brought back within their column."""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from okrflow.okrs.models import Alignment, KeyResult
from tests.conftest import PASSWORD, World, make_objective

pytestmark = pytest.mark.django_db
repair = importlib.import_module("okrflow.okrs.migrations.0003_repair_out_of_range_numbers").repair


def plant(table: str, pk: int, weight: str) -> None:
    """Store a weight the way SQLite used to take it from a form: as typed, unchecked."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET weight = {weight} WHERE id = %s", [pk])


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's numeric(6,2) never stored such weights"
)
def test_weights_sqlite_took_as_typed_are_repaired_and_pages_answer(
    client: Client, world: World
) -> None:
    first = make_objective(world, world.member, "Grow the newsletter")
    second = make_objective(world, world.member, "Run the spring event")
    third = make_objective(world, world.member, "Answer every lead")
    (a,) = first.key_results.all()
    (b,) = second.key_results.all()
    (c,) = third.key_results.all()
    link = Alignment.objects.create(child=first, parent=second, weight=Decimal("1"))
    plant(KeyResult._meta.db_table, a.pk, "99999")
    plant(KeyResult._meta.db_table, b.pk, "0.00001")
    plant(KeyResult._meta.db_table, c.pk, "1.23456")
    plant(Alignment._meta.db_table, link.pk, "123456.7")

    repair(apps, SimpleNamespace(connection=connection))

    assert KeyResult.objects.get(pk=a.pk).weight == Decimal("9999.99")
    assert KeyResult.objects.get(pk=b.pk).weight == Decimal("0.01")
    assert KeyResult.objects.get(pk=c.pk).weight == Decimal("1.23")
    assert Alignment.objects.get(pk=link.pk).weight == Decimal("9999.99")
    assert client.login(username=world.member.user.username, password=PASSWORD)
    for url in ("/", f"/objectives/{first.pk}/", "/company/", "/insights/"):
        assert client.get(url).status_code == 200, url


def test_the_repair_leaves_weights_within_the_column_alone(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    KeyResult.objects.filter(pk=kr.pk).update(weight=Decimal("2.5"))

    repair(apps, SimpleNamespace(connection=connection))

    assert KeyResult.objects.get(pk=kr.pk).weight == Decimal("2.50")
