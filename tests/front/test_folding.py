"""Folded text in SQL: the same query works with Django's binding and with the server's."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from okrflow.front.folding import Folded, _sql_literal
from okrflow.org.actions import create_unit
from okrflow.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_only_letters_are_written_into_the_sql() -> None:
    assert _sql_literal("Đàoa") == "'Đàoa'"
    for text in ["a'b", "50%", "a b", ""]:
        with pytest.raises(ValueError):
            _sql_literal(text)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's server-side binding")
def test_a_distinct_query_ordered_by_folded_text_runs_with_server_side_binding() -> None:
    """With OKRFLOW_DB_PREPARE_THRESHOLD each parameter is sent apart as its own $n. Were the
    letters parameters, the select list's and the ORDER BY's Folded(...) would differ and
    PostgreSQL would refuse a SELECT DISTINCT ordered by it (the project page did)."""
    create_unit(None, name="Phòng Đào tạo")
    create_unit(None, name="Marketing")
    # Like the project page's people: DISTINCT adds the ORDER BY expression to the select list.
    query = OrgUnit.objects.filter(parent=None).order_by(Folded("name"), "pk").distinct()
    sql, params = query.query.get_compiler(connection=connection).as_sql()
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # binds on the server
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    names = list(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    assert [dict(names)[pk] for pk in ids] == ["Marketing", "Phòng Đào tạo"]
    assert [unit.pk for unit in query] == ids
