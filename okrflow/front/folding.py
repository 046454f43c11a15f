"""Fold text inside the database, so that search ignores Vietnamese diacritics and case.

`Folded("title")` is `engine.text.fold` as SQL: a `translate()` of the Vietnamese letters on
PostgreSQL (built in, no extension needed) and the Python function itself, registered on each
SQLite connection. Both give the same result for Vietnamese and English text.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q
from django.db.models.lookups import Contains

from okrflow.engine.text import fold, folded_letters

SQLITE_FUNCTION = "okrflow_fold"


class Folded(Func):
    """The folded (no diacritics, lower case) value of a text column."""

    output_field = CharField()

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(F(expression) if isinstance(expression, str) else expression, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # The two letter strings are constants written into the SQL, not parameters: with
        # server-side binding each parameter becomes its own $n, and PostgreSQL would no longer see
        # a SELECT DISTINCT's ORDER BY Folded(...) as the same expression as the select list's.
        letters, plain = (_sql_literal(text) for text in folded_letters())
        sql, params = compiler.compile(self.source_expressions[0])
        return f"translate(lower({sql}), {letters}, {plain})", params

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_postgresql(compiler, connection, **extra)


def _sql_literal(text: str) -> str:
    """A PostgreSQL string constant of letters, safe inside a query that also has parameters."""
    if not text.isalpha():
        raise ValueError("only letters are written into the SQL as constants")
    return "'" + text + "'"


# Longer than any searchable text (titles are at most 300 characters), far below SQLite's limit.
MAX_NEEDLE = 1000


def folded_contains(fields: list[str], query: str) -> Q:
    """Match the query in any of the fields, ignoring case and diacritics ("dao" finds "Đào")."""
    # PostgreSQL refuses NUL characters in text; nobody searches for them. SQLite refuses LIKE
    # patterns over 50,000 bytes (a server error): no title is longer than the kept part.
    needle = fold(" ".join(query.replace("\x00", "").split()))[:MAX_NEEDLE]
    condition = Q()
    for name in fields:
        condition |= Q(Contains(Folded(name), needle))
    return condition


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION,
            1,
            lambda text: None if text is None else fold(text),
            deterministic=True,
        )


connection_created.connect(register_sqlite_function, dispatch_uid="okrflow_fold_sqlite")
