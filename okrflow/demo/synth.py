"""Build a synthetic organisation of any size, fast, for benchmarks.

Bulk inserts skip the action functions on purpose: this is generated load for measuring, not
a user's change, and 10,000 people through per-row actions would take many minutes. The rows
satisfy every database constraint all the same.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from okrflow.cycles.actions import quarter_bounds
from okrflow.cycles.models import Cycle, CycleState
from okrflow.demo.simulate import checkin_days
from okrflow.okrs.models import Alignment, KeyResult, KeyResultValue, Objective
from okrflow.org.models import OrgUnit, Person

M = TypeVar("M", bound=models.Model)
BATCH = 2000
SHAPES = ("metric", "percentage", "threshold", "milestone", "recurring", "relative", "currency")


@dataclass
class SynthSummary:
    people: int
    units: int
    objectives: int
    key_results: int
    values: int
    cycle: Cycle


def bulk(model: type[M], rows: Sequence[M], tick: Callable[[int], None]) -> list[M]:
    """Insert rows in batches, reporting progress; return them with primary keys."""
    created: list[M] = []
    for start in range(0, len(rows), BATCH):
        chunk = list(rows[start : start + BATCH])
        created.extend(model.objects.bulk_create(chunk, batch_size=BATCH))
        tick(len(chunk))
    return created


def unit_plan(unit_count: int) -> list[int | None]:
    """Return each unit's parent index: a company, departments, then teams under departments."""
    departments = max(1, round(unit_count**0.5))
    parents: list[int | None] = [None]
    for index in range(1, unit_count):
        parents.append(0 if index <= departments else 1 + (index % departments))
    return parents


@transaction.atomic
def build_synthetic_org(
    people: int,
    today: datetime.date,
    *,
    seed: int = 7,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> SynthSummary:
    """Create a synthetic org of `people` people with OKRs and six weeks of values."""
    rng = random.Random(seed)
    progress = progress or (lambda _label, _total: lambda _n: None)
    unit_count = max(1, people // 16)
    prefix = f"synth{Cycle.objects.filter(name__startswith='Synth').count() + 1}"
    start, end = quarter_bounds(today)
    cycle = Cycle.objects.create(
        name=f"Synth {prefix} {start:%Y-%m}",
        start_date=start,
        end_date=end,
        state=CycleState.ACTIVE,
    )

    parents = unit_plan(unit_count)
    units: list[OrgUnit] = []
    for index, parent_index in enumerate(parents):
        parent = units[parent_index] if parent_index is not None else None
        unit = OrgUnit.objects.create(
            name=f"{prefix} unit {index}",
            parent=parent,
            path="",
            depth=(parent.depth + 1) if parent else 0,
        )
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        units.append(unit)
    OrgUnit.objects.bulk_update(units, ["path"])

    password = make_password("okrflow")
    user_model = get_user_model()
    users = bulk(
        user_model,
        [user_model(username=f"{prefix}.{i:05d}", password=password) for i in range(people)],
        progress("people", people),
    )
    persons = bulk(
        Person,
        [
            Person(user=user, full_name=f"Person {i:05d}", unit=units[i % unit_count])
            for i, user in enumerate(users)
        ],
        lambda _n: None,
    )
    # The first person of each unit leads it; everyone else reports to their unit's lead.
    leads: dict[int, Person] = {}
    for person in persons:
        leads.setdefault(person.unit_id, person)  # type: ignore[arg-type]
    for unit in units:
        unit.lead = leads.get(unit.pk)
    OrgUnit.objects.bulk_update(units, ["lead"])
    for person in persons:
        lead = leads[person.unit_id]  # type: ignore[index]
        person.manager = lead if lead.pk != person.pk else None
    Person.objects.bulk_update(persons, ["manager"], batch_size=BATCH)

    objective_rows: list[Objective] = []
    for unit in units:
        for n in range(4):
            objective_rows.append(
                Objective(
                    cycle=cycle,
                    title=f"{unit.name} objective {n}",
                    owner_unit=unit,
                    kind=rng.choice(["committed", "aspirational"]),
                    position=n,
                )
            )
    for person in persons:
        for n in range(2):
            objective_rows.append(
                Objective(
                    cycle=cycle,
                    title=f"{person.full_name} objective {n}",
                    owner_person=person,
                    is_private=rng.random() < 0.1,
                    kind="committed",
                    position=n,
                )
            )
    objectives = bulk(Objective, objective_rows, progress("objectives", len(objective_rows)))

    unit_objectives = {
        o.owner_unit_id: o for o in objectives if o.owner_unit_id and o.position == 0
    }
    links = []
    for objective in objectives:
        target_unit = objective.owner_unit_id or (
            objective.owner_person and objective.owner_person.unit_id
        )
        parent = unit_objectives.get(target_unit)
        if parent is not None and parent.pk != objective.pk:
            links.append(Alignment(child=objective, parent=parent, is_primary=True))
    bulk(Alignment, links, lambda _n: None)

    owners = {o.pk: (o.owner_person or leads[o.owner_unit_id]) for o in objectives}  # type: ignore[index]
    kr_rows = [
        synthetic_key_result(rng, objective, owners[objective.pk], cycle, index)
        for objective in objectives
        for index in range(rng.randint(3, 5))
    ]
    key_results = bulk(KeyResult, kr_rows, progress("key results", len(kr_rows)))

    days = checkin_days(cycle.start_date, min(today, cycle.end_date), cycle.checkin_weekday, 6)
    values = [
        KeyResultValue(key_result=kr, value=value, measured_on=day, source="demo")
        for kr in key_results
        for day, value in zip(days, synthetic_values(rng, kr, len(days)), strict=True)
    ]
    bulk(KeyResultValue, values, progress("values", len(values)))
    for kr in key_results:
        kr.current_value = (
            synthetic_values(random.Random(kr.pk), kr, len(days))[-1] if days else None
        )
    KeyResult.objects.bulk_update(key_results, ["current_value"], batch_size=BATCH)
    return SynthSummary(people, unit_count, len(objectives), len(key_results), len(values), cycle)


def synthetic_key_result(
    rng: random.Random, objective: Objective, owner: Person, cycle: Cycle, index: int
) -> KeyResult:
    shape = rng.choice(SHAPES)
    fields: dict[str, Any] = {"shape": shape, "direction": "increase"}
    if shape in ("metric", "percentage", "currency"):
        fields |= {
            "start_value": Decimal(rng.randint(0, 50)),
            "target_value": Decimal(rng.randint(60, 200)),
        }
    elif shape == "threshold":
        fields |= {"direction": "at_most", "target_value": Decimal(30), "start_value": Decimal(60)}
    elif shape == "relative":
        base = Decimal(rng.randint(100, 10000))
        fields |= {
            "start_value": base,
            "relative_change": Decimal(20),
            "target_value": base * Decimal("1.2"),
        }
    elif shape == "recurring":
        fields |= {"per_period": 1, "period": "week"}
    return KeyResult(
        objective=objective,
        title=f"Key result {index + 1}",
        owner=owner,
        due_date=cycle.end_date,
        position=index,
        **fields,
    )


def synthetic_values(rng: random.Random, kr: KeyResult, weeks: int) -> list[Decimal]:
    """Return a rising series of `weeks` values for a key result."""
    pace = rng.uniform(0.3, 1.3)
    series = []
    for week in range(1, weeks + 1):
        share = min(1.0, pace * week / 13)
        if kr.shape == "milestone":
            series.append(Decimal(1 if share >= 1 else 0))
        elif kr.shape == "recurring":
            series.append(Decimal(int(week * min(1.0, pace))))
        else:
            start = kr.start_value or Decimal(0)
            target = kr.target_value or Decimal(1)
            series.append(
                (start + (target - start) * Decimal(str(round(share, 3)))).quantize(Decimal("0.01"))
            )
    return series


def chunks(items: Iterable[M], size: int) -> Iterable[list[M]]:
    batch: list[M] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
