"""Querysets compiled once per process, run with each call's ids (the check-in write path,
and the user, person and cycle every signed-in request reads).

Django compiles a queryset into SQL on every run; for the check-in's key results (four joins,
two subqueries, the lock) that compiling cost more CPU than the database's answer. Here the
queryset is built once with stand-in ids (negative: no real id is one) and compiled; each run
puts the real ids in the stand-ins' places among the parameters and builds the instances with
the compiler's own converters and related-object populators, as the queryset itself would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.models.query import RelatedPopulator, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=models.Model)

# The stand-in for the n-th id is FIRST_MARK - n.
FIRST_MARK = -7_100_000_000
# Querysets of more ids run as they are: one compiled statement is kept per number of ids.
MOST_IDS = 100


def marks(count: int) -> list[int]:
    return [FIRST_MARK - n for n in range(count)]


def slots_of(params: Sequence[Any], count: int) -> tuple[int | None, ...] | None:
    """Return, for each parameter, the id it stands for (`marks(count)`'s place) or None; None
    when the stand-ins are not exactly one parameter each (the queryset must then run as is)."""
    position = {mark: n for n, mark in enumerate(marks(count))}
    slots = tuple(position.get(value) if type(value) is int else None for value in params)
    if sorted(slot for slot in slots if slot is not None) != list(range(count)):
        return None
    return slots


def fetch(
    using: str,
    sql: str,
    params: Sequence[Any],
    slots: Sequence[int | None],
    ids: Sequence[int],
) -> list[Any]:
    """Run a compiled statement with the ids in their stand-ins' places; return its rows."""
    values = [
        value if slot is None else ids[slot] for value, slot in zip(params, slots, strict=True)
    ]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def storable(ids: Sequence[int]) -> list[int]:
    """Return the ids that fit the databases' 64-bit integers. One that does not (a page's
    address may hold any number) matches no row, and the drivers refuse it as a parameter."""
    return [pk for pk in ids if -(2**63) <= pk < 2**63]


@dataclass(frozen=True)
class CompiledRows(Generic[M]):
    """A compiled queryset: its SQL, its parameters and, for each, the id it stands for."""

    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]
    names: tuple[str, ...]
    populators: tuple[RelatedPopulator, ...]

    def run(self, using: str, ids: Sequence[int]) -> list[M]:
        return self.instances(using, fetch(using, self.sql, self.params, self.slots, ids))

    def instances(self, using: str, rows: list[Any]) -> list[M]:
        """Build the model instances of fetched rows, as the queryset itself would."""
        compiler = self.compiler
        klass_info, annotations = compiler.klass_info, compiler.annotation_col_map or {}
        assert klass_info is not None
        model: type[M] = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        found = []
        for row in compiler.results_iter([rows]):
            obj = model.from_db(using, list(self.names), row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def compile_rows(queryset: models.QuerySet[M], using: str, count: int) -> CompiledRows[M] | None:
    """Compile `queryset` (built with `marks(count)` for its ids); None if a stand-in is not
    exactly one parameter (the caller then runs querysets as they are)."""
    compiler = queryset.query.get_compiler(using)
    sql, params = compiler.as_sql()
    slots = slots_of(params, count)
    if slots is None:
        return None
    klass_info = compiler.klass_info
    assert klass_info is not None
    fields = klass_info["select_fields"]
    names = tuple(
        column[0].target.attname for column in compiler.select[fields[0] : fields[-1] + 1]
    )
    populators = tuple(get_related_populators(klass_info, compiler.select, using))
    return CompiledRows(compiler, sql, tuple(params), slots, names, populators)


_compiled: dict[tuple[str, str, int], CompiledRows[Any] | None] = {}


def rows_by_ids(
    name: str, build: Callable[[list[int]], models.QuerySet[M]], using: str, ids: Sequence[int]
) -> list[M]:
    """Return `build(ids)`'s rows, compiling `build` once per database and number of ids.

    `name` tells the querysets apart; `build` must use the ids only as values compared with
    ids (the stand-ins are swapped by value), each id once. Ids too large for the database are
    left out: they match nothing."""
    ids = storable(ids)
    if not ids:  # `pk__in=[]` matches nothing: no statement at all
        return []
    if len(ids) > MOST_IDS:
        return list(build(ids))
    key = (name, using, len(ids))
    if key not in _compiled:
        _compiled[key] = compile_rows(build(marks(len(ids))), using, len(ids))
    compiled = _compiled[key]
    if compiled is None:
        return list(build(list(ids)))
    return compiled.run(using, ids)


def all_rows(name: str, build: Callable[[], models.QuerySet[M]], using: str) -> list[M]:
    """Return `build()`'s rows (a queryset without ids: every cycle for the top bar's switch),
    compiling `build` once per database."""
    key = (name, using, 0)
    if key not in _compiled:
        _compiled[key] = compile_rows(build(), using, 0)
    compiled = _compiled[key]
    if compiled is None:
        return list(build())
    return compiled.run(using, [])


@dataclass(frozen=True)
class CompiledValues:
    """A compiled `values_list` queryset: its SQL, parameters and their ids' slots."""

    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]

    def run(self, using: str, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        rows = fetch(using, self.sql, self.params, self.slots, ids)
        # The fields' converters (dates and decimals on SQLite), as the queryset applies them.
        return [tuple(row) for row in self.compiler.results_iter([rows])]


_values: dict[tuple[str, str, int], CompiledValues | None] = {}


def values_by_ids(
    name: str, build: Callable[[list[int]], models.QuerySet[Any]], using: str, ids: Sequence[int]
) -> list[tuple[Any, ...]]:
    """Return the rows (tuples) of `build(ids)`, a `values_list` queryset, compiling `build`
    once per database and number of ids (`rows_by_ids` for values: the same rules)."""
    ids = storable(ids)
    if not ids:
        return []
    if len(ids) > MOST_IDS:
        return [tuple(row) for row in build(ids)]
    key = (name, using, len(ids))
    if key not in _values:
        compiler = build(marks(len(ids))).query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = slots_of(params, len(ids))
        _values[key] = (
            None if slots is None else CompiledValues(compiler, sql, tuple(params), slots)
        )
    compiled = _values[key]
    if compiled is None:
        return [tuple(row) for row in build(list(ids))]
    return compiled.run(using, ids)


_counts: dict[tuple[str, str], tuple[str, tuple[int | None, ...], tuple[Any, ...]] | None] = {}


def count_by_id(
    name: str, build: Callable[[int], models.QuerySet[Any]], using: str, pk: int
) -> int:
    """Return `build(pk).count()`, compiling `build` once per database (the top bar's unread
    notifications on every page: compiling the count cost more than the database's answer).

    `name` tells the querysets apart; `build` must use `pk` once, as a value compared with ids."""
    if not storable([pk]):
        return 0  # `pk` is compared with ids: none is that large
    key = (name, using)
    if key not in _counts:
        mark = marks(1)[0]
        sql, params = build(mark).order_by().values("pk").query.get_compiler(using).as_sql()
        slots = tuple(0 if type(value) is int and value == mark else None for value in params)
        _counts[key] = (
            (f"SELECT COUNT(*) FROM ({sql}) AS counted", slots, tuple(params))
            if slots.count(0) == 1
            else None
        )
    compiled = _counts[key]
    if compiled is None:
        return build(pk).count()
    statement, slots, params = compiled
    with connections[using].cursor() as cursor:
        cursor.execute(
            statement,
            [pk if slot == 0 else value for value, slot in zip(params, slots, strict=True)],
        )
        return int(cursor.fetchone()[0])


# --- statements of a given form, compiled once per form ---------------------------------------
#
# A page's scope (the reader's objectives of a unit) filters on a few ids and units' paths; the
# statement's form depends only on how many there are and on a few choices (the caller's key).
# Such a statement is built once per form with stand-ins for every value (ids as above, texts
# as TEXT_MARK), compiled, and run with each call's values in the stand-ins' places.

TEXT_MARK = "\x00okrflow-text-{}\x00"
# A text value is put in its stand-in's place as it is: inside a LIKE pattern it would need
# the database's escaping of these characters, so a value holding one is never compiled.
UNSAFE_TEXT = ("\\", "%", "_", "\x00")

Shape = tuple[int | str | tuple[int, ...], ...]


def stand_ins(values: Shape) -> tuple[list[Any], list[int], list[str]] | None:
    """Return stand-ins of the same form as `values` and the flat values they stand for (ids,
    then texts); None when a value cannot be stood for (an unsafe text, a repeated id in a
    list, a value of another type)."""
    shaped: list[Any] = []
    ids: list[int] = []
    texts: list[str] = []
    for value in values:
        if type(value) is int:
            shaped.append(FIRST_MARK - len(ids))
            ids.append(value)
        elif type(value) is str:
            if any(char in value for char in UNSAFE_TEXT):
                return None
            shaped.append(TEXT_MARK.format(len(texts)))
            texts.append(value)
        elif type(value) is tuple and all(type(pk) is int for pk in value):
            if len(set(value)) != len(value):
                return None  # `__in` drops repeated values: the stand-ins would not
            shaped.append([FIRST_MARK - len(ids) - n for n in range(len(value))])
            ids.extend(value)
        else:
            return None
    return shaped, ids, texts


def form_of(values: Shape) -> tuple[Any, ...]:
    """The form of `values`: each one's type, a list's length."""
    return tuple(len(value) if type(value) is tuple else type(value).__name__ for value in values)


@dataclass(frozen=True)
class Formed:
    """A statement compiled with stand-ins: for each parameter, None (kept as it is), the
    position of the id it stands for, or the texts' positions in it (a text parameter may
    hold a text stand-in within a pattern: "/1/2/%")."""

    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | tuple[int, ...] | None, ...]
    rows: CompiledRows[Any] | None  # how to build instances (None: a values_list statement)

    def fetch(self, using: str, ids: Sequence[int], texts: Sequence[str]) -> list[Any]:
        values = []
        for value, slot in zip(self.params, self.slots, strict=True):
            if slot is None:
                values.append(value)
            elif type(slot) is int:
                values.append(ids[slot])
            else:
                for position in slot:  # type: ignore[union-attr]
                    value = value.replace(TEXT_MARK.format(position), texts[position])
                values.append(value)
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, values)
            return cursor.fetchall()


def compile_formed(
    queryset: models.QuerySet[Any], using: str, ids: int, texts: int, instances: bool
) -> Formed | None:
    """Compile `queryset` (built with stand-ins for `ids` ids and `texts` texts); None if a
    stand-in is not found among the parameters (inlined, dropped or folded into another)."""
    from django.core.exceptions import EmptyResultSet

    compiler = queryset.query.get_compiler(using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    position = {FIRST_MARK - n: n for n in range(ids)}
    slots: list[int | tuple[int, ...] | None] = []
    seen: set[int] = set()
    seen_texts: set[int] = set()
    for value in params:
        if type(value) is int and value in position:
            slots.append(position[value])
            seen.add(position[value])
        elif type(value) is str and "\x00" in value:
            found = tuple(n for n in range(texts) if TEXT_MARK.format(n) in value)
            rest = value
            for n in found:
                rest = rest.replace(TEXT_MARK.format(n), "")
            if not found or "\x00" in rest:
                return None
            slots.append(found)
            seen_texts.update(found)
        elif isinstance(value, list | tuple | dict | set) or (
            type(value) is int and FIRST_MARK - 10_000_000 < value <= FIRST_MARK
        ):
            return None  # an array parameter, or a stand-in changed: not substituted
        else:
            slots.append(None)
    if len(seen) != ids or len(seen_texts) != texts or "\x00" in sql:
        return None
    if any(str(FIRST_MARK - n) in sql for n in range(ids)):
        return None  # inlined in the statement's text
    rows = None
    if instances:
        compiled = compile_rows(queryset, using, 0)
        if compiled is None:
            return None
        rows = compiled
    return Formed(compiler, sql, tuple(params), tuple(slots), rows)


_formed: dict[tuple[Any, ...], Formed | None] = {}
# The forms kept per process: each reader's scope has one (by the number of private objectives
# they see, the units they lead…), and a review one per page read; beyond these many, further
# forms run as querysets (a process's memory stays bounded). A form holds its compiler: some
# 16 KB, about 90 KB with 200 ids (measured): a few MB of a web worker's memory, not hundreds.
FORMS_KEPT = 256


def formed(
    name: str,
    key: Any,
    build: Callable[[list[Any]], models.QuerySet[Any]],
    using: str,
    values: Shape,
    instances: bool,
) -> tuple[Formed | None, list[int], list[str]]:
    """Return `build`'s statement compiled for `values`' form (None: run it as it is)."""
    found = stand_ins(values)
    if found is None or len(found[1]) > MOST_IDS * 5:
        return None, [], []
    shaped, ids, texts = found
    cache_key = (name, key, using, form_of(values), instances)
    if cache_key not in _formed:
        if len(_formed) >= FORMS_KEPT:
            return None, [], []
        _formed[cache_key] = compile_formed(build(shaped), using, len(ids), len(texts), instances)
    return _formed[cache_key], ids, texts


def as_built(values: Shape) -> list[Any]:
    """The values as `build` takes them: a list of ids as a list."""
    return [list(value) if type(value) is tuple else value for value in values]


def formed_rows(
    name: str,
    key: Any,
    build: Callable[[list[Any]], models.QuerySet[M]],
    using: str,
    values: Shape,
) -> list[M]:
    """Return `build(values)`'s model instances, compiling `build` once per `key` and form of
    `values` (ids, lists of distinct ids and texts; `key` names whatever else the statement's
    form depends on: `build` must use the values only as values compared with columns)."""
    compiled, ids, texts = formed(name, key, build, using, values, True)
    if compiled is None:
        return list(build(as_built(values)))
    assert compiled.rows is not None
    return compiled.rows.instances(using, compiled.fetch(using, ids, texts))


def formed_values(
    name: str,
    key: Any,
    build: Callable[[list[Any]], models.QuerySet[Any]],
    using: str,
    values: Shape,
) -> list[tuple[Any, ...]]:
    """Return the rows (tuples) of `build(values)`, a `values_list` queryset (`formed_rows`
    for values: the same rules)."""
    compiled, ids, texts = formed(name, key, build, using, values, False)
    if compiled is None:
        return [tuple(row) for row in build(as_built(values))]
    return [
        tuple(row) for row in compiled.compiler.results_iter([compiled.fetch(using, ids, texts)])
    ]
