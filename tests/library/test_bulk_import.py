"""The bulk import writes what the row-by-row actions wrote, all or nothing, in a number of
queries that does not grow with the file; owners are found in bulk exactly as one by one."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.audit.models import AuditEntry
from okrflow.cycles.models import Cycle
from okrflow.library.formats import read_file
from okrflow.library.importer import ImportFailed, run_import
from okrflow.library.owners import BULK_REFERENCES, OwnerFinder, resolve_owner
from okrflow.library.preview import build_preview
from okrflow.okrs.actions import align_objective, create_key_result, create_objective
from okrflow.okrs.models import Alignment, KeyResult, KeyResultValue, Objective
from okrflow.org.models import Person, Project
from tests.conftest import World

KR_FIELDS = (
    "title",
    "shape",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "unit",
    "currency",
    "relative_change",
    "baseline_label",
    "per_period",
    "period",
    "due_date",
    "weight",
    "owner_id",
    "position",
)
OBJECTIVE_FIELDS = (
    "title",
    "kind",
    "state",
    "is_private",
    "description",
    "owner_person_id",
    "owner_unit_id",
    "owner_project_id",
)


def sample(objectives: int = 6, *, owners: list[str] | None = None) -> bytes:
    """A file with every kind of row: units and people, figures and sentences, tags, values,
    a second (secondary, weighted) parent and a deadline outside the cycle."""
    owners = owners or ["unit:Marketing", "head.marketing", "specialist.marketing"]
    rows = []
    for index in range(objectives):
        row: dict[str, Any] = {
            "ref": f"O{index}",
            "title": f"Objective {index}",
            "owner": owners[index % len(owners)],
            "kind": "aspirational" if index % 3 == 0 else "committed",
            "tags": ["seo"] if index % 2 else [],
            "key_results": [
                {
                    "title": f"Reach {100 + k} leads ({index}.{k})",
                    "shape": "metric",
                    "start": "0",
                    "target": str(100 + k),
                    **({"current": "7"} if k == 1 else {}),
                }
                for k in range(3)
            ]
            + [{"title": "Tăng doanh thu từ 10 tỷ lên 15 tỷ trước 31/12/2030"}],
        }
        if index:
            row["alignments"] = [{"parent": "O0", "primary": True}]
            if index > 2:
                row["alignments"].append({"parent": "O1", "primary": False, "weight": "0.5"})
        rows.append(row)
    return json.dumps({"format": "okrflow-okrs", "objectives": rows}).encode()


def preview_for(cycle: Cycle, content: bytes, actor: Any = None) -> Any:
    return build_preview(read_file(content, "json"), cycle, actor)


def row_by_row(actor: Any, preview: Any) -> None:
    """What the import did before it wrote in bulk: one action per row."""
    made: dict[str, Objective] = {}
    for plan in preview.objectives:
        objective = create_objective(
            actor,
            cycle=preview.cycle,
            title=plan.title,
            owner=plan.owner,
            kind=plan.kind,
            description=plan.description,
            is_private=plan.is_private,
            tags=plan.tags,
            state=plan.state,
        ).value
        made[plan.ref] = objective
        for kr in plan.key_results:
            create_key_result(actor, objective, **kr.action_fields())
    for plan in preview.objectives:
        for link in plan.parents:
            align_objective(
                actor, made[plan.ref], made[link.ref], primary=link.primary, weight=link.weight
            )


def written(cycle: Cycle) -> dict[str, Any]:
    objectives = Objective.objects.filter(cycle=cycle).order_by("position")
    key_results = KeyResult.objects.filter(objective__cycle=cycle).order_by(
        "objective__position", "position"
    )
    links = Alignment.objects.filter(child__cycle=cycle).order_by("child__position", "id")
    ids = [o.pk for o in objectives] + [k.pk for k in key_results] + [a.pk for a in links]
    audit = AuditEntry.objects.filter(object_id__in=ids).exclude(action="update_objective")
    return {
        "objectives": [
            [getattr(o, f) for f in OBJECTIVE_FIELDS] + [sorted(t.name for t in o.tags.all())]
            for o in objectives
        ],
        "key_results": [
            [kr.objective.title] + [getattr(kr, f) for f in KR_FIELDS] for kr in key_results
        ],
        "values": sorted(
            (v.key_result.title, v.value)
            for v in KeyResultValue.objects.filter(key_result__in=key_results)
        ),
        "links": [(a.child.title, a.parent.title, a.is_primary, a.weight) for a in links],
        "audit": Counter(
            (e.object_type, e.action)
            for e in audit
            if (e.object_type, e.object_id) in {(t, i) for t, i in typed_ids(cycle)}
        ),
    }


def typed_ids(cycle: Cycle) -> list[tuple[str, int]]:
    return (
        [
            ("objective", pk)
            for pk in Objective.objects.filter(cycle=cycle).values_list("pk", flat=True)
        ]
        + [
            ("keyresult", pk)
            for pk in KeyResult.objects.filter(objective__cycle=cycle).values_list("pk", flat=True)
        ]
        + [
            ("alignment", pk)
            for pk in Alignment.objects.filter(child__cycle=cycle).values_list("pk", flat=True)
        ]
    )


def twin_cycle(world: World) -> Cycle:
    return Cycle.objects.create(
        name="Twin",
        start_date=world.cycle.start_date,
        end_date=world.cycle.end_date,
        state=world.cycle.state,
    )


@pytest.mark.parametrize("persona", ["admin", "lead"])
def test_the_bulk_import_writes_what_the_actions_wrote_row_by_row(
    world: World, persona: str
) -> None:
    actor = getattr(world, persona).user
    content = sample(6, owners=["unit:Marketing", "specialist.marketing", "unit:Content"])
    bulk = preview_for(world.cycle, content, actor)
    assert bulk.can_import, bulk.errors
    assert any("outside the cycle" in p.message for p in bulk.warnings)
    result = run_import(actor, bulk)
    twin = twin_cycle(world)
    row_by_row(actor, preview_for(twin, content, actor))
    new, old = written(world.cycle), written(twin)
    assert new == old
    assert sum(new["audit"].values()) == 6 + 24 + 5 + 3
    assert len(new["key_results"]) == result.key_results == 24


def test_an_error_late_in_the_file_keeps_nothing(world: World) -> None:
    """The last key result of the last objective names a deactivated owner's unit lead…
    simpler: it carries a figure its column cannot hold; the file is refused whole."""
    data = json.loads(sample(8))
    data["objectives"][-1]["key_results"][-1] = {
        "title": "Too precise",
        "shape": "metric",
        "start": "0",
        "target": "10",
        "weight": "0.00001",
    }
    counts = (Objective.objects.count(), KeyResult.objects.count(), AuditEntry.objects.count())
    preview = preview_for(world.cycle, json.dumps(data).encode())
    problems = preview.errors
    if preview.can_import:
        with pytest.raises(ImportFailed) as failure:
            run_import(None, preview)
        problems = failure.value.problems
    assert problems and problems[0].where == "objectives[7].key_results[3]"
    after = (Objective.objects.count(), KeyResult.objects.count(), AuditEntry.objects.count())
    assert after == counts


def test_a_refusal_in_the_write_late_in_the_file_keeps_nothing(world: World) -> None:
    """Checked before writing, refused in the write (the focus limit of the last owner)."""
    from okrflow.org.models import Organisation

    organisation = Organisation.current()
    organisation.enforce_focus = True
    organisation.objectives_max = 5
    organisation.save()
    owners = ["unit:Marketing"] * 3 + ["unit:Sales"] * 3 + ["unit:Sao Viet"] * 6
    counts = (Objective.objects.count(), KeyResult.objects.count(), AuditEntry.objects.count())
    content = json.dumps(
        {
            "objectives": [
                {
                    "title": f"O{i}",
                    "owner": owner,
                    "key_results": [
                        {"title": f"K{i}.{k}", "shape": "metric", "start": "0", "target": "9"}
                        for k in range(3)
                    ],
                }
                for i, owner in enumerate(owners)
            ]
        }
    ).encode()
    with pytest.raises(ImportFailed) as failure:
        run_import(None, preview_for(world.cycle, content))
    assert failure.value.problems[0].where == "objectives[11]"
    after = (Objective.objects.count(), KeyResult.objects.count(), AuditEntry.objects.count())
    assert after == counts


def many_people(world: World, count: int) -> list[str]:
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bulk.{i:04d}") for i in range(count)]
    )
    Person.objects.bulk_create(
        [
            Person(user=user, full_name=f"Bulk {i:04d}", unit=world.marketing, manager=world.lead)
            for i, user in enumerate(users)
        ]
    )
    return [user.username for user in users]


def import_queries(world: World, content: bytes) -> tuple[int, int]:
    """The queries of a preview and its import: (everything but INSERTs, INSERTs)."""
    with CaptureQueriesContext(connection) as queries:
        preview = preview_for(world.cycle, content, world.admin.user)
        assert preview.can_import, preview.errors
        run_import(world.admin.user, preview)
    # PostgreSQL's rows go by COPY, each batch after its ids are drawn from the sequence.
    writes = ("INSERT", "COPY", "SELECT NEXTVAL(")
    inserts = sum(1 for q in queries if q["sql"].lstrip().upper().startswith(writes))
    return len(queries) - inserts, inserts


def test_the_query_count_does_not_grow_with_the_file(world: World) -> None:
    """Four times the objectives, key results, owners and links: the same reads and checks;
    only the bulk INSERTs grow, by one per batch of rows (SQLite's batches are smallest)."""
    people = many_people(world, 240)
    small_reads, _small_inserts = import_queries(
        world, sample(BULK_REFERENCES + 10, owners=people[:120])
    )
    large_reads, large_inserts = import_queries(
        world, sample(4 * (BULK_REFERENCES + 10), owners=people[120:])
    )
    assert large_reads <= small_reads, (small_reads, large_reads)
    rows = 4 * (BULK_REFERENCES + 10) * (1 + 4 + 1 + 5 + 2)  # objectives, KRs, values, audit, links
    assert large_inserts <= rows / 30, large_inserts


def test_a_large_import_is_pinned(world: World, django_assert_max_num_queries: Any) -> None:
    people = many_people(world, 200)
    content = sample(200, owners=people)
    with django_assert_max_num_queries(60 if connection.vendor == "postgresql" else 160):
        preview = preview_for(world.cycle, content, world.admin.user)
        run_import(world.admin.user, preview)
    assert KeyResult.objects.filter(objective__title__startswith="Objective ").count() == 800


def test_owners_found_in_bulk_are_the_ones_found_one_by_one(world: World) -> None:
    people = many_people(world, BULK_REFERENCES + 5)
    Person.objects.filter(user__username="bulk.0001").update(full_name="Twin Name")
    Person.objects.filter(user__username="bulk.0002").update(full_name="twin name")
    Person.objects.filter(user__username="bulk.0003").update(job_title="Trưởng nhóm SEO")
    Project.objects.create(name="Launch", unit=world.marketing, lead=world.lead)
    references = [(("", name)) for name in people] + [
        ("", "Twin Name"),
        ("", "TWIN NAME"),
        ("", "trưởng nhóm seo"),
        ("", "Trưởng nhóm SEO"),
        ("", "MARKETING"),
        ("unit", "Marketing"),
        ("", "project:Launch"),
        ("project", "launch"),
        ("", "Bulk 0004"),
        ("person", "bulk 0005"),
        ("", "@HEAD.MARKETING"),
        ("", "nobody"),
        ("ghost", "x"),
        ("", "unit:"),
        ("", "Sales"),
    ]
    finder = OwnerFinder()
    finder.prepare(set(references))
    assert finder.answers, "the bulk path answered nothing"
    for scope, reference in references:
        bulk, single = finder.resolve(reference, scope), resolve_owner(reference, scope)
        assert (bulk.owner, bulk.error) == (single.owner, single.error), reference


@pytest.mark.parametrize("large", [False, True])
def test_the_fast_insert_stores_what_bulk_create_stores(world: World, large: bool) -> None:
    """Every column of every model the import writes, read back: the same as `bulk_create`
    (`large`: PostgreSQL's rows go by COPY)."""
    from decimal import Decimal

    from okrflow.audit.log import audit_entry, snapshot
    from okrflow.library.bulk_insert import insert

    def rows(owner: Any) -> list[Any]:
        objective = Objective(
            cycle=world.cycle, title="Fast ‘x’ %s %% ?", owner_unit=owner, position=9
        )
        return [objective]

    fast, slow = rows(world.marketing), rows(world.sales)
    insert(Objective, fast, large=large)
    Objective.objects.bulk_create(slow)
    krs = []
    for objective in (fast[0], slow[0]):
        krs.append(
            KeyResult(
                objective=objective,
                title="K",
                shape="metric",
                direction="increase",
                start_value=Decimal("0.5"),
                target_value=Decimal("12345678.1234"),
                current_value=None,
                owner=world.lead,
                due_date=world.cycle.end_date,
                weight=Decimal("1"),
            )
        )
    insert(KeyResult, krs[:1], large=large)
    KeyResult.objects.bulk_create(krs[1:])
    entries = [
        audit_entry(
            actor=world.admin.user,
            action="create_key_result",
            instance=kr,
            before=None,
            after=snapshot(kr) | {"tags": ["đ", 1.5]},
            summary="ư",
        )
        for kr in krs
    ]
    insert(AuditEntry, entries[:1], large=large)
    AuditEntry.objects.bulk_create(entries[1:])

    def read(model: Any, pk: int, skip: set[str]) -> dict[str, Any]:
        values = model.objects.filter(pk=pk).values().get()
        return {k: v for k, v in values.items() if k not in skip}

    varying = {
        "id",
        "created_at",
        "updated_at",
        "owner_unit_id",
        "objective_id",
        "object_id",
        "after",
        "at",
    }
    assert read(Objective, fast[0].pk, varying) == read(Objective, slow[0].pk, varying)
    assert read(KeyResult, krs[0].pk, varying) == read(KeyResult, krs[1].pk, varying)
    assert read(AuditEntry, entries[0].pk, varying) == read(AuditEntry, entries[1].pk, varying)
    stored = AuditEntry.objects.get(pk=entries[0].pk)
    assert stored.after == snapshot(krs[0]) | {"tags": ["đ", 1.5]}
    assert Objective.objects.get(pk=fast[0].pk).created_at is not None


def test_each_key_result_is_checked_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview runs the action's checks on every key result and keeps what they built; the
    import writes that, checking again only an objective whose owner changed meanwhile."""
    from okrflow.library import importer, preview

    calls = Counter[str]()

    def counted(where: str, real: Any) -> Any:
        def check(*args: Any, **kwargs: Any) -> Any:
            calls[where] += 1
            return real(*args, **kwargs)

        return check

    monkeypatch.setattr(preview, "check_key_result", counted("preview", preview.check_key_result))
    monkeypatch.setattr(importer, "build_key_result", counted("import", importer.build_key_result))
    checked = preview_for(world.cycle, sample(6), world.admin.user)
    assert checked.can_import, checked.errors
    assert calls == {"preview": 24}
    checked.objectives[2].owner = world.sales  # as when the import creates the owner project
    result = run_import(world.admin.user, checked)
    assert calls == {"preview": 24, "import": 4}
    assert result.key_results == 24
    moved = Objective.objects.get(cycle=world.cycle, title=checked.objectives[2].title)
    assert moved.owner_unit == world.sales
    assert [kr.owner for kr in moved.key_results.all()] == [world.member] * 4


def test_a_departed_key_result_owner_is_a_problem_of_the_preview(world: World) -> None:
    """The action refuses a deactivated owner: the preview, which runs it, says so itself."""
    world.member.user.is_active = False
    world.member.user.save()
    data = json.loads(sample(2))
    data["objectives"][1]["key_results"][0]["owner"] = world.member.user.username
    checked = preview_for(world.cycle, json.dumps(data).encode())
    assert [(p.message, p.where) for p in checked.errors] == [
        (
            f"{world.member.full_name} is deactivated and cannot own new objectives "
            "or key results.",
            "objectives[1].key_results[0]",
        )
    ]


def test_rows_written_in_bulk_take_ids_later_rows_never_reuse(world: World) -> None:
    """PostgreSQL's COPY takes its ids from the table's sequence, SQLite's INSERT from the
    table: each object gets the id of its own row, and a row saved after them a new one."""
    from okrflow.library.bulk_insert import insert

    made = insert(
        Objective,
        [
            Objective(cycle=world.cycle, title=f"Bulk {n}", owner_unit=world.marketing)
            for n in range(2500)  # more than a batch
        ],
        large=True,
    )
    assert len({o.pk for o in made}) == 2500
    stored = dict(Objective.objects.filter(title__startswith="Bulk ").values_list("pk", "title"))
    assert stored == {o.pk: o.title for o in made}
    later = Objective.objects.create(cycle=world.cycle, title="Later", owner_unit=world.sales)
    assert later.pk > max(o.pk for o in made)


def test_an_import_gathers_sqlites_planner_statistics(world: World) -> None:
    """SQLite gathers none by itself: after a large import its planner would guess."""
    people = many_people(world, 10)
    preview = preview_for(world.cycle, sample(10, owners=people), world.admin.user)
    run_import(world.admin.user, preview)
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        analysed = {table for (table,) in cursor.fetchall()}
    assert {"okrs_objective", "okrs_keyresult"} <= analysed


@pytest.mark.parametrize("ids", [True, False])
def test_rows_written_from_their_values_are_the_instances_rows(world: World, ids: bool) -> None:
    """`insert_rows` (the import's key results and first values, written from their column
    values) stores what `insert` stores for the same instances, sets the one time stamp in the
    lists, and each list's id (more rows than a batch) when asked, else none."""
    from decimal import Decimal

    from django.utils import timezone

    from okrflow.library.bulk_insert import insert, insert_rows

    objective = Objective.objects.create(
        cycle=world.cycle, title="Rows", owner_unit=world.marketing
    )

    def made(n: int) -> KeyResult:
        return KeyResult(
            objective=objective,
            title=f"K ‘{n}’ %s %%",
            shape="metric",
            direction="increase",
            start_value=Decimal("0.5"),
            target_value=Decimal("12345678.1234"),
            current_value=Decimal(n) if n % 2 else None,
            owner=world.lead,
            due_date=world.cycle.end_date,
            weight=Decimal("2.5"),
            position=n,
        )

    names = [f.attname for f in KeyResult._meta.concrete_fields]
    rows = [[getattr(made(n), name) for name in names] for n in range(1200)]
    before = timezone.now()
    insert_rows(KeyResult, rows, ids=ids)
    after = timezone.now()
    stamps = {row[names.index(n)] for row in rows for n in ("created_at", "updated_at")}
    assert len(stamps) == 1 and before <= next(iter(stamps)) <= after
    instances = [made(n) for n in range(1200)]
    insert(KeyResult, instances, large=True)
    skip = {"id", "created_at", "updated_at"}

    def stored(pks: list[int]) -> list[dict[str, Any]]:
        values = KeyResult.objects.filter(pk__in=pks).order_by("position").values()
        return [{k: v for k, v in row.items() if k not in skip} for row in values]

    expected = stored([kr.pk for kr in instances])
    if ids:
        assert len({row[0] for row in rows}) == 1200
        assert stored([row[0] for row in rows]) == expected
        assert dict(
            KeyResult.objects.filter(pk__in=[row[0] for row in rows]).values_list("pk", "title")
        ) == {row[0]: row[names.index("title")] for row in rows}
    else:
        assert all(row[0] is None for row in rows)
        written = KeyResult.objects.exclude(pk__in=[kr.pk for kr in instances])
        assert stored(list(written.values_list("pk", flat=True))) == expected
