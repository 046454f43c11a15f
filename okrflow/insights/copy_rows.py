"""Write many derived rows at once: PostgreSQL's COPY, else multi-row inserts.

A full refresh writes some 230,000 snapshot rows at 10,000 people. As multi-row INSERTs of
500 rows, psycopg spent more time splitting each statement's 13,000 placeholders than the
server spent storing them. COPY sends the rows as a stream instead: no statement to parse, no
ids to return (the snapshot rows are derived data: nothing reads their ids back). Each
column's value is prepared as `bulk_insert` prepares it (`bulk_create`'s conversions).
Counted as one query in Django's query log, so query-count pins stay meaningful.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.utils import CursorDebugWrapper

from okrflow.library.bulk_insert import converter, insert


def write_rows(model: type[models.Model], objects: Sequence[models.Model], batch: int) -> None:
    """Store new instances of a model (their ids are not set on PostgreSQL)."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        insert(model, objects, batch)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    convert = [converter(field, connection) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        if isinstance(cursor, CursorDebugWrapper):
            with cursor.debug_sql(sql):
                _copy(cursor.cursor, sql, objects, convert)
        else:
            _copy(cursor.cursor, sql, objects, convert)


def _copy(cursor: Any, sql: str, objects: Sequence[models.Model], convert: list[Any]) -> None:
    with cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([value(obj) for value in convert])
