"""Export a cycle's live OKRs in any format, limited to what the reader may see.

Objectives come in the overview's order (company and departments, projects, people), read in
a fixed number of queries whatever the cycle's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Case, QuerySet, Value, When

from okrflow.cycles.models import Cycle
from okrflow.library.formats_json import json_number, json_pieces
from okrflow.library.formats_table import csv_pieces, write_xlsx
from okrflow.library.formats_text import write_markdown, write_text
from okrflow.library.owners import owner_kind, owner_name
from okrflow.okrs import measure
from okrflow.okrs.measure import LoadedObjectives, load_objectives
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.models import Person

OWNER_RANK = Case(
    When(owner_unit__isnull=False, then=Value(0)),
    When(owner_project__isnull=False, then=Value(1)),
    default=Value(2),
)
ORDER = (
    "owner_rank",
    "owner_unit__path",
    "owner_project__name",
    "owner_person__unit__path",
    "owner_person__full_name",
    "position",
    "id",
)


def cycle_objectives(cycle: Cycle, user: Any = None) -> QuerySet[Objective]:
    """Return the cycle's live objectives (those `user` may see, when given), in order."""
    queryset = Objective.objects.live().filter(cycle=cycle)
    if user is not None:
        queryset = queryset.filter(pk__in=Objective.objects.visible_to(user).values("pk"))
    return queryset.annotate(owner_rank=OWNER_RANK).order_by(*ORDER)


def people_by_id(loaded: LoadedObjectives) -> dict[int, Person]:
    """Load, in one query, every person an export names (owners of objectives and KRs)."""
    ids = {o.owner_person_id for o in loaded.objectives if o.owner_person_id}
    ids |= {kr.owner_id for krs in loaded.key_results.values() for kr in krs}
    return {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("user")}


def key_result_data(kr: KeyResult, people: dict[int, Person]) -> dict[str, Any]:
    owner = people.get(kr.owner_id)
    return {
        "title": kr.title,
        "shape": kr.shape,
        "direction": kr.direction,
        "start": json_number(kr.start_value),
        "target": json_number(kr.target_value),
        "current": json_number(kr.current_value),
        "unit": kr.unit,
        "currency": kr.currency,
        "change": json_number(kr.relative_change),
        "baseline": kr.baseline_label,
        "per_period": kr.per_period,
        "period": kr.period,
        "due": kr.due_date.isoformat(),
        "weight": json_number(kr.weight),
        "owner": owner.user.get_username() if owner else None,
        "_key_result": kr,
    }


def objective_data(
    objective: Objective, loaded: LoadedObjectives, people: dict[int, Person], refs: set[int]
) -> dict[str, Any]:
    owner = objective.owner
    if objective.owner_person_id:
        owner = people[objective.owner_person_id]
    name = owner.user.get_username() if isinstance(owner, Person) else owner_name(owner)
    return {
        "ref": f"O{objective.pk}",
        "title": objective.title,
        "description": objective.description,
        "owner": {"kind": owner_kind(owner), "name": name},
        "owner_label": owner_name(owner),
        "kind": objective.kind,
        "state": objective.state,
        "private": objective.is_private,
        "tags": [tag.name for tag in loaded.tags.get(objective.pk, [])],
        "alignments": [
            {"parent": f"O{link.parent_id}", "primary": link.is_primary, "weight": str(link.weight)}
            for link in loaded.parent_links.get(objective.pk, [])
            if link.parent_id in refs
        ],
        "key_results": [
            key_result_data(kr, people) for kr in loaded.key_results.get(objective.pk, [])
        ],
    }


def collect(cycle: Cycle, user: Any = None) -> list[dict[str, Any]]:
    """Return the export data of a cycle's objectives, in order."""
    return [objective for batch in collect_in_batches(cycle, user) for objective in batch]


def collect_in_batches(
    cycle: Cycle, user: Any = None, batch: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """`collect`, `batch` objectives at a time (a fixed number of queries each): only the ids
    of the whole cycle stay in memory."""
    queryset = cycle_objectives(cycle, user)
    ids = list(queryset.values_list("pk", flat=True))
    refs = set(ids)
    size = batch or measure.BATCH
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        loaded = load_objectives(queryset.filter(pk__in=chunk), chunk)
        people = people_by_id(loaded)
        yield [objective_data(o, loaded, people, refs) for o in loaded.objectives]


def public(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the private "_" and display-only keys before writing JSON."""
    clean = {k: v for k, v in data.items() if not k.startswith("_") and k != "owner_label"}
    if "key_results" in clean:
        clean["key_results"] = [public(kr) for kr in clean["key_results"]]
    return clean


def text_blocks(objectives: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Group objectives under their owner, in order, for the text and Markdown writers."""
    blocks: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for objective in objectives:
        titles = [kr["title"] for kr in objective["key_results"]]
        blocks[objective["owner_label"]].append((objective["title"], titles))
    return list(blocks.items())


def table_rows(objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flatten objectives into one row per key result (one row for an objective without KRs)."""
    rows = []
    for objective in objectives:
        primary = [a["parent"] for a in objective["alignments"] if a["primary"]]
        head = {
            "scope": objective["owner"]["kind"],
            "owner": objective["owner"]["name"],
            "objective": objective["title"],
            "kind": objective["kind"],
            "state": objective["state"],
            "private": objective["private"],
            "tags": ", ".join(objective["tags"]),
            "description": objective["description"],
            "ref": objective["ref"],
            "parent": primary[0] if primary else "",
        }
        for kr in objective["key_results"] or [None]:
            rows.append(head | (key_result_row(kr["_key_result"], kr["owner"]) if kr else {}))
    return rows


def key_result_row(kr: KeyResult, owner: str | None) -> dict[str, Any]:
    return {
        "key_result": kr.title,
        "shape": kr.shape,
        "direction": kr.direction,
        "start": kr.start_value,
        "target": None if kr.shape == "relative" else kr.target_value,
        "current": kr.current_value,
        "unit": kr.unit,
        "currency": kr.currency,
        "change": kr.relative_change,
        "baseline": kr.baseline_label,
        "per_period": kr.per_period,
        "period": kr.period,
        "due": kr.due_date,
        "weight": kr.weight,
        "kr_owner": owner or "",
    }


STREAMED = ("json", "csv")


def stream_export(
    cycle: Cycle, format_name: str, *, user: Any = None, lang: str = "vi"
) -> Iterator[bytes]:
    """Write a cycle's OKRs as JSON or CSV piece by piece, batch by batch: the bytes of
    `export_cycle`, without the whole cycle in memory."""
    batches = collect_in_batches(cycle, user)
    if format_name == "json":
        meta = {
            "name": cycle.name,
            "start": cycle.start_date.isoformat(),
            "end": cycle.end_date.isoformat(),
        }
        objectives = (public(o) for batch in batches for o in batch)
        for piece in json_pieces(meta, objectives):
            yield piece.encode("utf-8")
        return
    if format_name == "csv":
        yield from csv_pieces((row for batch in batches for row in table_rows(batch)), lang)
        return
    raise ValueError(f"unknown streamed format {format_name!r}")


def export_cycle(cycle: Cycle, format_name: str, *, user: Any = None, lang: str = "vi") -> bytes:
    """Return a cycle's OKRs as a file in the given format."""
    if format_name in STREAMED:
        return b"".join(stream_export(cycle, format_name, user=user, lang=lang))
    objectives = collect(cycle, user)
    if format_name == "xlsx":
        return write_xlsx(table_rows(objectives), cycle.name)
    if format_name == "md":
        return write_markdown(cycle.name, text_blocks(objectives)).encode("utf-8")
    if format_name == "text":
        return write_text(text_blocks(objectives)).encode("utf-8")
    raise ValueError(f"unknown format {format_name!r}")
