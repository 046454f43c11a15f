"""Insert many new rows of one model quickly: `bulk_create`'s rows, a fraction of its work.

`QuerySet.bulk_create` compiles every value through the general query machinery (expressions,
`pre_save`, per-value preparation): for an import of 150,000 key results and their audit rows
that machinery, not the database, took most of the time. Here each column's conversion is
chosen once per model: plain values (text, integers, booleans, foreign keys) go as they are,
the rest (decimals, dates, JSON, `auto_now` stamps) through the field's own `pre_save` and
`get_db_prep_save`, exactly as `bulk_create` does. Rows come back with their ids (RETURNING,
on both SQLite and PostgreSQL), as `bulk_create` sets them. Like `bulk_create`, no signals.
"""

from __future__ import annotations

import datetime
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connections, models, router
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
PLAIN_VALUES = (str, int, bool)
BATCH = 1000


def is_plain(field: models.Field[Any, Any]) -> bool:
    """A column whose text, integer, boolean or None value goes to the database as it is."""
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return isinstance(field, PLAIN) and not stamped


def row_maker(
    fields: Sequence[models.Field[Any, Any]], convert: Sequence[Callable[[Any], Any]]
) -> Callable[[Any], list[Any]]:
    """Read an instance's row: each column's `converter`, called only where it has work to do
    (a plain column's text, integer, boolean or None goes as it is, as its converter would
    return it). The values are read in one `attrgetter` call: an import writes millions."""
    names = [f.attname for f in fields]
    read: Callable[[Any], Any] = (
        attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    )
    steps = [(is_plain(f), value) for f, value in zip(fields, convert, strict=True)]

    def row(obj: Any) -> list[Any]:
        return [
            raw if as_is and (raw is None or type(raw) in PLAIN_VALUES) else value(obj)
            for raw, (as_is, value) in zip(read(obj), steps, strict=True)
        ]

    return row


def is_time_stamped(field: models.Field[Any, Any]) -> bool:
    """A `DateTimeField` stamped on save (`auto_now`, `auto_now_add`): its time is set by the
    `Writer`'s stamping step, not by the cached row maker."""
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return stamped and type(field) is models.DateTimeField


def unstamped(obj: Any) -> None:
    """The cached row's placeholder for a time-stamped column (the stamping step fills it)."""
    return None


def converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """How one column's value is read from an instance and made ready for the database: a
    time-stamped column left to the `Writer`'s stamping step, another stamped column's value
    taken as the field's `pre_save` takes it, any other column's value as `value_converter`
    prepares it (no column here has a `pre_save` of its own that does more than stamp)."""
    attname = field.attname
    if is_time_stamped(field):
        return unstamped
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if stamped:

        def prepared(obj: Any) -> Any:
            return field.get_db_prep_save(field.pre_save(obj, True), connection)

        return prepared
    convert = value_converter(field, connection)
    read = attrgetter(attname)
    if convert is None:
        return read

    def value(obj: Any) -> Any:
        return convert(read(obj))

    return value


def stamper(
    make_row: Callable[[Any], list[Any]],
    stamps: Sequence[tuple[int, str]],
    connection: Any,
    now: datetime.datetime | None,
) -> Callable[[Any], list[Any]]:
    """`make_row`, then each time-stamped column (`stamps`: its place in the row and its
    attribute) set on the instance and in the row, as the field's `pre_save` (a new row) and
    `get_db_prep_save` set it (aware, or naive without USE_TZ), without the checks a value typed
    by someone needs: each row's own time read for each column, or `now`, the one time of a
    whole write, adapted once."""
    if not stamps:
        return make_row
    adapt_datetime = connection.ops.adapt_datetimefield_value
    if now is not None:
        adapted = adapt_datetime(now)

        def stamp_once(obj: Any) -> list[Any]:
            row = make_row(obj)
            for index, attname in stamps:
                setattr(obj, attname, now)
                row[index] = adapted
            return row

        return stamp_once

    def stamp(obj: Any) -> list[Any]:
        row = make_row(obj)
        for index, attname in stamps:
            value = timezone.now()
            setattr(obj, attname, value)
            row[index] = adapt_datetime(value)
        return row

    return stamp


def prepare_related(obj: models.Model, relations: Sequence[tuple[str, str, str]] = ()) -> None:
    """What `bulk_create` checks of each row's related objects (none unsaved, their ids
    copied): only an instance holding a related object has anything to check. `relations`
    (a `Writer`'s: each relation's cache name, id attribute and the related object's id
    attribute) lets the usual case be seen quickly: every held object saved and its id
    already in the row, when Django's check does nothing; else Django's check runs."""
    cache = obj._state.fields_cache
    if not cache:
        return
    if relations:
        for name, attname, target in relations:
            held = cache.get(name)
            if held is None:
                continue
            own = getattr(obj, attname)
            if held.pk is None or own is None or getattr(held, target) != own:
                break
        else:
            return
    obj._prepare_related_fields_for_save(operation_name="bulk_create")


def max_params(connection: Any) -> int | None:
    """How many parameters one statement may take: SQLite's own limit when it says it
    (Django assumes 999, the limit of SQLite builds before 3.32)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        if hasattr(raw, "getlimit"):
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    limit = connection.features.max_query_params
    return int(limit) if limit else None


def insert_statements(
    table: str, column_list: str, width: int, count: int, batch: int, limit: int | None
) -> Iterator[tuple[int, int, str]]:
    """The multi-row INSERTs that write `count` rows of `width` values: (start, stop, sql) for
    rows `start:stop`, each statement at most `batch` rows and `limit` parameters."""
    size = max(1, min(batch, limit // width)) if limit else batch
    row = "(" + ", ".join(["%s"] * width) + ")"
    for start in range(0, count, size):
        stop = min(count, start + size)
        yield (
            start,
            stop,
            f"INSERT INTO {table} ({column_list}) VALUES " + ", ".join([row] * (stop - start)),
        )


@dataclass(frozen=True)
class Writer:
    """What writing a model's new rows on one connection needs, worked out once (a check-in
    writes three models' rows, and working this out again on each took as long as writing
    them): its columns, each one's conversion (`row_maker`), the quoted names, and each
    relation's names for `prepare_related`."""

    fields: tuple[models.Field[Any, Any], ...]
    make_row: Callable[[Any], list[Any]]  # each row stamped with its own time
    make_unstamped_row: Callable[[Any], list[Any]]  # the time-stamped columns left to `stamps`
    stamps: tuple[tuple[int, str], ...]
    table: str
    columns: str
    pk_column: str
    row: str
    relations: tuple[tuple[str, str, str], ...]

    def row_maker(
        self, connection: Any, now: datetime.datetime | None
    ) -> Callable[[Any], list[Any]]:
        """The rows' maker: the one worked out once, or, for a write stamped with one time
        (`now`, a large insert's), the cached rows then that stamping step."""
        if now is None:
            return self.make_row
        return stamper(self.make_unstamped_row, self.stamps, connection, now)


_writers: weakref.WeakKeyDictionary[Any, dict[type[models.Model], Writer]] = (
    weakref.WeakKeyDictionary()
)


def writer(model: type[models.Model], connection: Any) -> Writer:
    """The model's `Writer` on this connection, made on its first write."""
    by_model = _writers.get(connection)
    if by_model is None:
        by_model = _writers[connection] = {}
    found = by_model.get(model)
    if found is None:
        found = by_model[model] = make_writer(model, connection)
    return found


def make_writer(model: type[models.Model], connection: Any) -> Writer:
    meta = model._meta
    assert meta.pk is not None
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    pk_column = quote(meta.pk.column)
    unstamped_row = row_maker(fields, [converter(f, connection) for f in fields])
    stamps = tuple((index, f.attname) for index, f in enumerate(fields) if is_time_stamped(f))
    return Writer(
        fields=fields,
        make_row=stamper(unstamped_row, stamps, connection, None),
        make_unstamped_row=unstamped_row,
        stamps=stamps,
        table=table,
        columns=columns,
        pk_column=pk_column,
        row="(" + ", ".join(["%s"] * len(fields)) + ")",
        relations=tuple(
            (f.cache_name, f.attname, f.target_field.attname)  # type: ignore[attr-defined]
            for f in meta.concrete_fields
            if f.is_relation
        )
        if not meta.private_fields
        else (),
    )


def insert(
    model: type[M],
    objects: Sequence[M],
    batch: int = BATCH,
    *,
    large: bool = False,
    ids: bool = True,
    copy_batch: int | None = None,
) -> list[M]:
    """Insert unsaved instances (their ids unset) and set their ids; return them.

    One INSERT … VALUES … RETURNING a batch. For a `large` write (the import's) of a model
    whose id is the table's serial or identity column: on PostgreSQL a batch takes its ids from
    the table's sequence in one query and goes in by COPY (the driver formats its rows in C,
    where it parses a long INSERT's text in Python); on SQLite a statement holds as many rows
    as SQLite's own limit of parameters allows (Django assumes 999); and the rows' time stamps
    (`auto_now`, `auto_now_add`) are one time, taken once, as PostgreSQL's `now()` is one time
    for a transaction (a per-row clock read and conversion was a twentieth of a large import).

    Without `ids` (derived rows nothing reads back by id), PostgreSQL takes the rows by COPY
    without their id column, `copy_batch` rows a statement (else `batch`): one query fewer a
    batch, and 500 rows a multi-row INSERT were thousands of parameters to format and parse.
    """
    if not objects:
        return list(objects)
    alias = router.db_for_write(model)
    connection = connections[alias]
    now = timezone.now() if large else None
    if (large or not ids) and connection.vendor == "postgresql":
        return copy_in(model, objects, connection, alias, copy_batch or batch, ids=ids, now=now)
    # SQLite 3.35 or later (`front.checks.SQLITE_NEEDED`): RETURNING reads the ids back.
    write = writer(model, connection)
    make_row, relations = write.row_maker(connection, now), write.relations
    limit = max_params(connection) if large else connection.features.max_query_params
    statements = insert_statements(
        write.table, write.columns, len(write.fields), len(objects), batch, limit
    )
    for start, stop, sql in statements:
        chunk = objects[start:stop]
        params: list[Any] = []
        for obj in chunk:
            prepare_related(obj, relations)
            params.extend(make_row(obj))
        with connection.cursor() as cursor:
            cursor.execute(sql + f" RETURNING {write.pk_column}", params)
            ids = cursor.fetchall()
        for obj, (pk,) in zip(chunk, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = alias
    return list(objects)


def copier(cursor: Any, rows: Iterable[list[Any]]) -> Callable[..., None]:
    """An executor (for the connection's execute wrappers) that copies `rows` in."""

    def copy_rows(sql: str, *ignored: Any) -> None:
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    return copy_rows


def run_copy(connection: Any, cursor: Any, copy_sql: str, rows: Iterable[list[Any]]) -> None:
    """Copy `rows` in by `copy_sql` through the connection's wrappers and query log, as a
    statement Django runs."""
    logged = cursor.debug_sql(copy_sql) if hasattr(cursor, "debug_sql") else nullcontext()
    with logged, connection.wrap_database_errors:
        cursor._execute_with_wrappers(copy_sql, None, False, copier(cursor, rows))


def copy_in(
    model: type[M],
    objects: Sequence[M],
    connection: Any,
    alias: str,
    batch: int,
    *,
    ids: bool = True,
    now: datetime.datetime | None = None,
) -> list[M]:
    """PostgreSQL: ids drawn from the table's own sequence (as a plain INSERT draws them, so
    later inserts never collide), then the rows, ids included, by COPY … FROM STDIN.

    Without `ids`, the rows go in without their id column (the table's default numbers them)
    and the objects keep no id: for derived rows nothing reads back (the stored insights), one
    query fewer a batch and no id to set. `now`: the rows' one time stamp (see `insert`).
    """
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    write = writer(model, connection)
    make_row, relations = write.row_maker(connection, now), write.relations
    quote = connection.ops.quote_name
    columns = f"{write.pk_column}, {write.columns}" if ids else write.columns
    sequence = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
    copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    for start in range(0, len(objects), batch):
        chunk = objects[start : start + batch]
        for obj in chunk:
            prepare_related(obj, relations)
        with connection.cursor() as cursor:
            pk_values: list[Any] = []
            rows: Iterable[list[Any]]
            if ids:
                cursor.execute(sequence, [quote(meta.db_table), pk.column, len(chunk)])
                pk_values = [pk_value for (pk_value,) in cursor.fetchall()]
                rows = (
                    [pk_value, *make_row(obj)]
                    for pk_value, obj in zip(pk_values, chunk, strict=True)
                )
            else:
                rows = (make_row(obj) for obj in chunk)
            run_copy(connection, cursor, copy_sql, rows)
        if not ids:
            continue
        for obj, pk_value in zip(chunk, pk_values, strict=True):
            obj.pk = pk_value
            obj._state.adding = False
            obj._state.db = alias
    return list(objects)


# Derived rows built as tuples: a refresh of the stored insights writes some 230,000 rows at
# 10,000 people, and building a model instance for each (then reading it back into a row) was
# a large share of its time. The tuples hold the columns in the order `columns` gives them.


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns a new row of the model writes, its id left out: the order of its tuples."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def check_columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    """Return the model's columns, after checking that tuples of these field names (a
    `NamedTuple`'s `_fields`) hold exactly them, in their order: else a column would be
    written into another one's place."""
    fields = columns(model)
    expected = [f.attname for f in fields]
    if list(names) != expected:
        raise ValueError(f"{model.__name__} rows must hold {expected}, not {list(names)}")
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            raise ValueError(f"{model.__name__}.{f.name} is stamped: write instances instead")
    return fields


def value_converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any] | None:
    """How one column's value is made ready for the database, as `converter` does it for an
    instance's (the field's `get_db_prep_save`, skipped where the value is already what it
    would return); None where every value goes as it is."""

    def prepared(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    if type(field) is models.JSONField:
        adapt_json = connection.ops.adapt_json_value
        encoder = field.encoder

        def json_value(value: Any) -> Any:
            if value is None:
                return None
            return adapt_json(value, encoder) if type(value) in (dict, list) else prepared(value)

        return json_value
    if isinstance(field, models.DecimalField):
        adapt_decimal = connection.ops.adapt_decimalfield_value
        digits, places = field.max_digits, field.decimal_places

        def decimal(value: Any) -> Any:
            if type(value) is Decimal and value.is_finite():
                return adapt_decimal(value, digits, places)
            return prepared(value)

        return decimal
    if type(field) is models.DateField:
        adapt_date = connection.ops.adapt_datefield_value

        def date(value: Any) -> Any:
            return adapt_date(value) if type(value) is datetime.date else prepared(value)

        return date
    if type(field) is models.FloatField:

        def floating(value: Any) -> Any:
            # A float (or None) is what `FloatField.get_prep_value` returns for it.
            return value if value is None or type(value) is float else prepared(value)

        return floating
    if not is_plain(field):
        return prepared

    def plain(value: Any) -> Any:
        return value if value is None or type(value) in PLAIN_VALUES else prepared(value)

    return plain


def tuple_maker(
    fields: Sequence[models.Field[Any, Any]], connection: Any
) -> Callable[[Sequence[Any]], list[Any]]:
    """Turn a tuple of the columns' values into the row the database is sent."""
    steps = [(index, value_converter(f, connection)) for index, f in enumerate(fields)]

    def row(values: Sequence[Any]) -> list[Any]:
        made = list(values)
        for index, convert in steps:
            if convert is not None:
                made[index] = convert(made[index])
        return made

    return row


def write_tuples(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    batch: int = BATCH,
    copy_batch: int = 5000,
) -> None:
    """Insert new rows given as tuples of the model's `columns` (named by `names`, checked),
    without reading their ids back: by COPY … FROM STDIN on PostgreSQL (the table's default
    numbers them), else by multi-row INSERTs. No instances, no signals."""
    if not rows:
        return
    fields = check_columns(model, names)
    alias = router.db_for_write(model)
    connection = connections[alias]
    make_row = tuple_maker(fields, connection)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        copy_sql = f"COPY {table} ({column_list}) FROM STDIN"
        for start in range(0, len(rows), copy_batch):
            chunk = rows[start : start + copy_batch]
            with connection.cursor() as cursor:
                run_copy(connection, cursor, copy_sql, (make_row(values) for values in chunk))
        return
    statements = insert_statements(
        table, column_list, len(fields), len(rows), batch, max_params(connection)
    )
    for start, stop, sql in statements:
        params: list[Any] = []
        for values in rows[start:stop]:
            params.extend(make_row(values))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def insert_rows(
    model: type[models.Model],
    rows: Sequence[list[Any]],
    batch: int = BATCH,
    *,
    ids: bool = True,
) -> None:
    """Insert new rows given as lists of all the model's column values (`concrete_fields`
    order, the id first and None), as a large `insert` writes instances, without making one:
    each value converted as `insert` converts an instance's, the time-stamped columns set to
    one time taken once (in the lists too, as `insert` sets it on its instances), and, with
    `ids`, each list's id set (drawn from the table's sequence on PostgreSQL, read back by
    RETURNING on SQLite). Without `ids` the table's default numbers the rows. No signals."""
    if not rows:
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None and meta.concrete_fields[0] is pk
    fields = columns(model)
    for f in fields:
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        if stamped and not is_time_stamped(f):
            raise ValueError(f"{model.__name__}.{f.name} is stamped: write instances instead")
    alias = router.db_for_write(model)
    connection = connections[alias]
    now = timezone.now()
    adapted = connection.ops.adapt_datetimefield_value(now)
    # Places in a whole row (the id at 0): each converted column's and each stamped one's.
    steps = [
        (index, value_converter(f, connection))
        for index, f in enumerate(fields, 1)
        if not is_time_stamped(f)
    ]
    stamps = [index for index, f in enumerate(fields, 1) if is_time_stamped(f)]

    def made(row: list[Any]) -> list[Any]:
        """The row sent (the id left out), its stamps set in `row` too."""
        for index in stamps:
            row[index] = now
        sent = row[1:]
        for index, convert in steps:
            if convert is not None:
                sent[index - 1] = convert(sent[index - 1])
        for index in stamps:
            sent[index - 1] = adapted
        return sent

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(f.column) for f in fields)
    pk_column = quote(pk.column)
    if connection.vendor == "postgresql":
        sequence = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        copy_sql = (
            f"COPY {table} ({pk_column}, {column_list}) FROM STDIN"
            if ids
            else f"COPY {table} ({column_list}) FROM STDIN"
        )
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            with connection.cursor() as cursor:
                if ids:
                    cursor.execute(sequence, [table, pk.column, len(chunk)])
                    for row, (pk_value,) in zip(chunk, cursor.fetchall(), strict=True):
                        row[0] = pk_value
                    sent: Iterable[list[Any]] = ([row[0], *made(row)] for row in chunk)
                else:
                    sent = (made(row) for row in chunk)
                run_copy(connection, cursor, copy_sql, sent)
        return
    # SQLite 3.35 or later (`front.checks.SQLITE_NEEDED`): RETURNING reads the ids back.
    statements = insert_statements(
        table, column_list, len(fields), len(rows), batch, max_params(connection)
    )
    for start, stop, sql in statements:
        chunk = rows[start:stop]
        params: list[Any] = []
        for row in chunk:
            params.extend(made(row))
        with connection.cursor() as cursor:
            if not ids:
                cursor.execute(sql, params)
                continue
            cursor.execute(sql + f" RETURNING {pk_column}", params)
            for row, (pk_value,) in zip(chunk, cursor.fetchall(), strict=True):
                row[0] = pk_value
