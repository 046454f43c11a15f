"""The article's cascade as alignments, including the marketing types under Marketing (#15)."""

from __future__ import annotations

from okrflow.library.headings import heading_level, heading_marketing_type
from okrflow.library.plans import ObjectivePlan
from okrflow.library.preview import cascade


def plan(line: int, heading: str) -> ObjectivePlan:
    return ObjectivePlan(
        line=line,
        title=f"Objective of line {line}",
        owner=None,
        owner_label=heading,
        heading=heading,
        level=heading_level(heading),
        marketing_type=heading_marketing_type(heading),
    )


def parent_line(plans: list[ObjectivePlan], child: ObjectivePlan) -> int | None:
    if not child.parents:
        return None
    return next(p.line for p in plans if p.ref == child.parents[0].ref)


def test_marketing_types_align_to_the_marketing_department() -> None:
    plans = [
        plan(1, "Công ty Marketing"),
        plan(2, "Phòng Kinh doanh"),
        plan(3, "Phòng Marketing"),
        plan(4, "Trưởng phòng Marketing"),
        plan(5, "Inbound Marketing"),
        plan(6, "Email Marketing"),
    ]
    cascade(plans)
    assert [parent_line(plans, p) for p in plans] == [None, 1, 1, 3, 3, 3]


def test_marketing_types_without_a_marketing_department_stay_roots() -> None:
    plans = [plan(1, "Phòng Kinh doanh"), plan(2, "Content Marketing")]
    cascade(plans)
    assert [parent_line(plans, p) for p in plans] == [None, None]
