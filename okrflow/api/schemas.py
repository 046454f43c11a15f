"""What the API reads and writes: pydantic schemas, the source of the OpenAPI document.

Inputs forbid unknown fields (a typo must not be silently ignored) and clean their texts of
characters no database stores, as the pages' forms do.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from okrflow.engine.text import clean_text
from okrflow.front.params import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Number = Annotated[Decimal, Field(allow_inf_nan=False)]


Title = Annotated[str, AfterValidator(clean_text), Field(max_length=300)]
LongText = Annotated[str, AfterValidator(clean_text), Field(max_length=5000)]
ShortText = Annotated[str, AfterValidator(clean_text), Field(max_length=500)]
Unit = Annotated[str, AfterValidator(clean_text), Field(max_length=50)]
TagName = Annotated[str, AfterValidator(clean_text), Field(max_length=50)]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- errors and pages


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


# ---------------------------------------------------------------- organisation


class CycleOut(Schema):
    id: int
    name: str
    kind: str
    state: str
    start_date: datetime.date
    end_date: datetime.date
    checkin_weekday: int
    checkin_hour: int
    time_zone: str


class UnitOut(Schema):
    id: int
    name: str
    parent_id: int | None
    lead_id: int | None
    depth: int


class PersonOut(Schema):
    id: int
    full_name: str
    job_title: str
    unit_id: int | None
    manager_id: int | None
    username: str


class ProjectOut(Schema):
    id: int
    name: str
    description: str
    lead_id: int
    unit_id: int | None
    is_archived: bool


class MeOut(Schema):
    person: PersonOut | None
    role: str
    token_scope: str | None


# ---------------------------------------------------------------- objectives


OwnerKind = Literal["person", "unit", "project"]


class OwnerRef(Schema):
    kind: OwnerKind
    id: int
    name: str


class OwnerIn(Input):
    kind: OwnerKind
    id: Id


class AlignmentOut(Schema):
    parent_id: int
    is_primary: bool
    weight: Decimal


class ObjectiveOut(Schema):
    id: int
    cycle_id: int
    title: str
    description: str
    owner: OwnerRef
    kind: str
    state: str
    is_private: bool
    tags: list[str]
    parents: list[AlignmentOut]
    progress: float | None
    status: str | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ObjectiveCreate(Input):
    cycle_id: Id
    title: Title
    owner: OwnerIn
    description: LongText = ""
    kind: Literal["committed", "aspirational"] = "committed"
    state: Literal["draft", "active"] = "active"
    is_private: bool = False
    tags: list[TagName] = Field(default=[], max_length=20)
    parent_id: Id | None = None


class ObjectiveUpdate(Input):
    title: Title | None = None
    description: LongText | None = None
    kind: Literal["committed", "aspirational"] | None = None
    is_private: bool | None = None
    tags: list[TagName] | None = Field(default=None, max_length=20)
    owner: OwnerIn | None = None


class AlignIn(Input):
    parent_id: Id
    primary: bool = True
    weight: Number = Decimal("1")


class CommentIn(Input):
    comment: LongText = ""


# ---------------------------------------------------------------- key results


Shape = Literal[
    "metric", "threshold", "percentage", "currency", "relative", "milestone", "recurring"
]
Direction = Literal["increase", "decrease", "at_least", "at_most"]


class KeyResultOut(Schema):
    id: int
    objective_id: int
    title: str
    shape: str
    owner_id: int
    direction: str
    start_value: Decimal | None
    target_value: Decimal | None
    current_value: Decimal | None
    unit: str
    currency: str
    relative_change: Decimal | None
    baseline_label: str
    per_period: int | None
    period: str
    due_date: datetime.date
    start_date: datetime.date | None  # #16: null = the cycle's start
    combine: str
    slot_weekday: int | None
    slot_hour: int | None
    slot_day_of_month: int | None
    weight: Decimal
    is_archived: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class KeyResultCreate(Input):
    objective_id: Id
    title: Title
    shape: Shape = "metric"
    owner_id: Id | None = None
    direction: Direction | None = None
    start_value: Number | None = None
    target_value: Number | None = None
    current_value: Number | None = None
    unit: Unit = ""
    currency: Literal["", "VND", "USD"] = ""
    relative_change: Number | None = None
    baseline_label: Unit = ""
    per_period: int | None = Field(default=None, ge=1, le=1000)
    period: Literal["", "week", "month"] = ""
    due_date: datetime.date | None = None
    weight: Number = Decimal("1")
    start_date: datetime.date | None = None
    slot_weekday: int | None = Field(default=None, ge=0, le=6)
    slot_hour: int | None = Field(default=None, ge=0, le=23)
    slot_day_of_month: int | None = Field(default=None, ge=1, le=31)


class KeyResultUpdate(Input):
    title: Title | None = None
    owner_id: Id | None = None
    start_value: Number | None = None
    target_value: Number | None = None
    unit: Unit | None = None
    baseline_label: Unit | None = None
    due_date: datetime.date | None = None
    weight: Number | None = None
    start_date: datetime.date | None = None
    slot_weekday: int | None = Field(default=None, ge=0, le=6)
    slot_hour: int | None = Field(default=None, ge=0, le=23)
    slot_day_of_month: int | None = Field(default=None, ge=1, le=31)


class ValueOut(Schema):
    id: int
    key_result_id: int
    value: Decimal
    measured_on: datetime.date
    source: str
    note: str
    recorded_by_id: int | None
    created_at: datetime.datetime


class ValueIn(Input):
    value: Number
    measured_on: datetime.date | None = None
    note: ShortText = ""


class InitiativeOut(Schema):
    id: int
    key_result_id: int
    title: str
    owner_id: int
    due_date: datetime.date | None
    is_done: bool


class InitiativeIn(Input):
    title: Title
    owner_id: Id | None = None
    due_date: datetime.date | None = None


# ---------------------------------------------------------------- check-ins


Confidence = Literal["high", "medium", "low"]


class CheckInLineOut(Schema):
    key_result_id: int
    value: Decimal | None
    confidence: Decimal | None
    note: str


class CheckInOut(Schema):
    id: int
    person_id: int
    cycle_id: int
    week: datetime.date
    state: str
    corrects_id: int | None
    progress: str
    obstacles: str
    solutions: str
    late_work: str
    pace: str
    confidence: Decimal | None
    submitted_at: datetime.datetime | None
    lines: list[CheckInLineOut]


class CheckInLineIn(Input):
    key_result_id: Id
    value: Number | None = None
    confidence: Confidence | None = None
    note: ShortText = ""


class CheckInIn(Input):
    person_id: Id | None = None
    cycle_id: Id
    week: datetime.date
    lines: list[CheckInLineIn] = Field(default=[], max_length=100)
    progress: LongText = ""
    obstacles: LongText = ""
    solutions: LongText = ""
    late_work: LongText = ""
    # "fast", "normal", "slow" or "" (checked by the action, which words the error in vi/en).
    pace: ShortText = ""
    confidence: Confidence | None = None
    submit: bool = True


# ---------------------------------------------------------------- insights


class RiskOut(Schema):
    id: int
    cycle_id: int
    objective_id: int
    key_result_id: int | None
    owner_id: int | None
    kind: str
    kind_label: str
    severity: str
    severity_label: str
    rule: str
    suggestion: str


class KeyResultGradeOut(Schema):
    key_result_id: int
    final_value: Decimal | None
    target_used: Decimal | None
    progress: Decimal
    score: Decimal
    band: str


class GradeOut(Schema):
    id: int
    objective_id: int
    cycle_id: int
    kind: str
    score: Decimal
    band: str
    success: bool
    key_results: list[KeyResultGradeOut]


class FocusLineOut(Schema):
    owner_kind: str
    owner_id: int
    owner_name: str
    code: str
    count: int
    minimum: int
    maximum: int
    message: str
    objective_id: int | None
    objective_title: str | None


class FocusReportOut(Schema):
    cycle_id: int
    owners: list[FocusLineOut]
    objectives: list[FocusLineOut]
    truncated: bool


# ---------------------------------------------------------------- pages


class CyclePage(Schema):
    items: list[CycleOut]
    next_cursor: str | None


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_cursor: str | None


class ObjectivePage(Schema):
    items: list[ObjectiveOut]
    next_cursor: str | None


class KeyResultPage(Schema):
    items: list[KeyResultOut]
    next_cursor: str | None


class ValuePage(Schema):
    items: list[ValueOut]
    next_cursor: str | None


class CheckInPage(Schema):
    items: list[CheckInOut]
    next_cursor: str | None


class RiskPage(Schema):
    items: list[RiskOut]
    next_cursor: str | None


class GradePage(Schema):
    items: list[GradeOut]
    next_cursor: str | None


class InitiativePage(Schema):
    items: list[InitiativeOut]
    next_cursor: str | None


# ---------------------------------------------------------------- compound key results (#16)

PartShape = Literal["metric", "threshold", "percentage", "currency", "milestone"]


class PartIn(Input):
    label: Annotated[str, AfterValidator(clean_text), Field(max_length=200)]
    shape: PartShape = "metric"
    direction: Direction | None = None
    start_value: Number | None = None
    target_value: Number | None = None
    unit: Unit = ""
    start_date: datetime.date | None = None
    weight: Number | None = None


class PartsIn(Input):
    combine: Literal["weakest", "weighted"]
    parts: list[PartIn] = Field(max_length=20)


class PartOut(Schema):
    id: int
    label: str
    shape: str
    direction: str
    start_value: Decimal | None
    target_value: Decimal | None
    current_value: Decimal | None
    unit: str
    start_date: datetime.date | None
    weight: Decimal
    position: int
    progress: float


class PartsOut(Schema):
    key_result_id: int
    combine: str
    current_value: Decimal | None
    parts: list[PartOut]


class PartValueIn(Input):
    part_id: Id
    value: Number


class PartValuesIn(Input):
    values: list[PartValueIn] = Field(min_length=1, max_length=20)
    measured_on: datetime.date | None = None


class PartValueOut(Schema):
    id: int
    part_id: int
    value: Decimal
    measured_on: datetime.date
    source: str
    corrects_id: int | None
    note: str
    recorded_by_id: int | None
    created_at: datetime.datetime


class PartCorrectionIn(Input):
    value_id: Id
    value: Number
    note: LongText = ""
