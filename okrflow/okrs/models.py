"""Objectives, key results of every shape, alignment, target versions and initiatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from okrflow.okrs.querysets import ObjectiveQuerySet

VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class ObjectiveKind(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    ASPIRATIONAL = "aspirational", _("Aspirational")


class ObjectiveState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Waiting for agreement")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Person")
    UNIT = "unit", _("Unit")
    PROJECT = "project", _("Project")


class Shape(models.TextChoices):
    METRIC = "metric", _("Number from → to")
    THRESHOLD = "threshold", _("Stay at least / at most")
    PERCENTAGE = "percentage", _("Percentage from → to")
    CURRENCY = "currency", _("Money from → to")
    RELATIVE = "relative", _("Change vs a past period")
    MILESTONE = "milestone", _("Milestone (done / not done)")
    RECURRING = "recurring", _("Recurring (times per period)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    AT_LEAST = "at_least", _("Stay at least")
    AT_MOST = "at_most", _("Stay at most")


class Period(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")


class Combine(models.TextChoices):
    """How a compound key result's parts make its progress (blank: not compound)."""

    WEAKEST = "weakest", _("The weakest part")
    WEIGHTED = "weighted", _("Weighted mean of the parts")


class Currency(models.TextChoices):
    VND = "VND", _("Vietnamese đồng")
    USD = "USD", _("US dollar")


class TagKind(models.TextChoices):
    MARKETING_TYPE = "marketing", _("Marketing type")
    FREE = "free", _("Free tag")


FROM_TO_SHAPES = (Shape.METRIC, Shape.PERCENTAGE, Shape.CURRENCY)


class Tag(models.Model):
    """A label on objectives: a marketing type (inbound, content, event, email) or a free tag."""

    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TagKind.choices, default=TagKind.FREE)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A qualitative goal for one cycle, owned by exactly one person, unit or project."""

    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="objectives", verbose_name=_("cycle")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_person = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
        verbose_name=_("owner (person)"),
    )
    owner_unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
        verbose_name=_("owner (unit)"),
    )
    owner_project = models.ForeignKey(
        "org.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
        verbose_name=_("owner (project)"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ObjectiveKind.choices, default=ObjectiveKind.COMMITTED
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ObjectiveState.choices, default=ObjectiveState.ACTIVE
    )
    is_private = models.BooleanField(_("private"), default=False)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="objectives", verbose_name=_("tags")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # Bumped by every update; an edit made from a stale copy is refused, not silently lost.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        owner_person__isnull=False,
                        owner_unit__isnull=True,
                        owner_project__isnull=True,
                    )
                    | models.Q(
                        owner_person__isnull=True,
                        owner_unit__isnull=False,
                        owner_project__isnull=True,
                    )
                    | models.Q(
                        owner_person__isnull=True,
                        owner_unit__isnull=True,
                        owner_project__isnull=False,
                    )
                ),
                name="objective_exactly_one_owner",
            ),
        ]
        indexes = [
            # The overview and `okrflow okrs` read one cycle's live objectives in order.
            models.Index(fields=["cycle", "state", "position"], name="objective_cycle_state"),
            # Every insights page reads the private objectives its reader sees otherwise than by
            # leading their unit (`insights.totals.private_snapshots`): by a cycle's private
            # objectives alone, not all of its objectives (2.0 → 0.9 ms at 10,000 people).
            models.Index(
                fields=["cycle"], condition=models.Q(is_private=True), name="objective_private"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_kind(self) -> str:
        if self.owner_person_id:
            return OwnerKind.PERSON
        if self.owner_unit_id:
            return OwnerKind.UNIT
        return OwnerKind.PROJECT

    @property
    def owner(self) -> models.Model:
        return self.owner_person or self.owner_unit or self.owner_project  # type: ignore[return-value]

    @property
    def owner_name(self) -> str:
        owner = self.owner
        return owner.full_name if self.owner_person_id else owner.name  # type: ignore[attr-defined]


class Alignment(models.Model):
    """A link from an objective to a parent objective it contributes to, in any unit."""

    child = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("child")
    )
    parent = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="child_links", verbose_name=_("parent")
    )
    is_primary = models.BooleanField(_("primary"), default=True)
    weight = models.DecimalField(
        _("contribution weight"), max_digits=6, decimal_places=2, default=1
    )

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="alignment_unique_pair"),
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(is_primary=True),
                name="alignment_one_primary_parent",
            ),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("parent")), name="alignment_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="alignment_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id}"


class KeyResult(models.Model):
    """A measurable result of an objective, in one of the native shapes."""

    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="key_results", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=300)
    shape = models.CharField(_("shape"), max_length=16, choices=Shape.choices, default=Shape.METRIC)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="key_results", verbose_name=_("owner")
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.INCREASE
    )
    start_value = models.DecimalField(_("start value"), null=True, blank=True, **VALUE_DIGITS)
    target_value = models.DecimalField(_("target value"), null=True, blank=True, **VALUE_DIGITS)
    current_value = models.DecimalField(_("current value"), null=True, blank=True, **VALUE_DIGITS)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    relative_change = models.DecimalField(
        _("change in percent"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    baseline_label = models.CharField(_("compared with"), max_length=100, blank=True)
    per_period = models.PositiveSmallIntegerField(_("times per period"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices, blank=True)
    due_date = models.DateField(_("due date"))
    # The day the key result starts counting (blank: the cycle's first day); pace lines,
    # recurring windows, forecasts and grading start there.
    start_date = models.DateField(_("start date"), null=True, blank=True)
    # Set on a compound key result: its parts (`KeyResultPart`) make its progress this way.
    combine = models.CharField(
        _("parts combine as"), max_length=8, choices=Combine.choices, blank=True
    )
    # The slot of a recurring key result: a weekday (0 = Monday) and hour, or a day of the month.
    slot_weekday = models.PositiveSmallIntegerField(_("slot weekday"), null=True, blank=True)
    slot_hour = models.PositiveSmallIntegerField(_("slot hour"), null=True, blank=True)
    slot_day_of_month = models.PositiveSmallIntegerField(
        _("slot day of the month"), null=True, blank=True
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="kr_weight_positive"),
            models.CheckConstraint(
                condition=~models.Q(shape__in=FROM_TO_SHAPES)
                | (
                    models.Q(start_value__isnull=False, target_value__isnull=False)
                    & ~models.Q(start_value=models.F("target_value"))
                ),
                name="kr_from_to_start_differs_from_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(shape=Shape.THRESHOLD)
                | models.Q(
                    target_value__isnull=False,
                    direction__in=[Direction.AT_LEAST, Direction.AT_MOST],
                ),
                name="kr_threshold_has_bound",
            ),
            models.CheckConstraint(
                condition=models.Q(shape=Shape.THRESHOLD)
                | models.Q(direction__in=[Direction.INCREASE, Direction.DECREASE]),
                name="kr_direction_fits_shape",
            ),
            models.CheckConstraint(
                condition=~models.Q(shape=Shape.RELATIVE)
                | models.Q(start_value__isnull=False, relative_change__isnull=False)
                & ~models.Q(relative_change=0),
                name="kr_relative_has_baseline_and_change",
            ),
            models.CheckConstraint(
                condition=~models.Q(shape=Shape.RECURRING)
                | models.Q(per_period__gte=1, period__in=[Period.WEEK, Period.MONTH]),
                name="kr_recurring_has_rhythm",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_weekday__isnull=True, slot_day_of_month__isnull=True)
                | models.Q(shape=Shape.RECURRING),
                name="kr_slot_only_when_recurring",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_weekday__isnull=True)
                | models.Q(slot_weekday__lte=6, slot_day_of_month__isnull=True),
                name="kr_slot_weekday_or_day_of_month",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_hour__isnull=True) | models.Q(slot_hour__lte=23),
                name="kr_slot_hour_in_day",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_day_of_month__isnull=True)
                | models.Q(slot_day_of_month__gte=1, slot_day_of_month__lte=31),
                name="kr_slot_day_of_month_in_month",
            ),
        ]
        indexes = [
            # Overview and CLI read the key results of a page of objectives in order.
            models.Index(fields=["objective", "position"], name="kr_objective_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_compound(self) -> bool:
        return bool(self.combine)

    @property
    def has_slot(self) -> bool:
        return self.slot_weekday is not None or self.slot_day_of_month is not None


class KeyResultValue(models.Model):
    """One recorded value of a key result; append-only, the newest measured is the current value.

    `measured_on` is the day the value describes (a late check-in's values sit at their week),
    not the day it was typed in; `created_at` keeps that.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual update")
        CHECKIN = "checkin", _("Check-in")
        IMPORT = "import", _("Import")
        DEMO = "demo", _("Demo data")
        DATA_SOURCE = "data_source", _("Data source")

    key_result = models.ForeignKey(  # indexed by `krvalue_history`
        KeyResult,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("key result"),
        db_index=False,
    )
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    measured_on = models.DateField(_("measured on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The data source that read this value (source "data_source"); kept as a plain value row
    # if the source is removed later.
    data_source = models.ForeignKey(
        "datasources.DataSource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="values",
        verbose_name=_("data source"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key result value")
        verbose_name_plural = _("key result values")
        ordering = ["measured_on", "id"]
        indexes = [
            # The KR history and chart read one key result's values by date.
            models.Index(fields=["key_result", "measured_on"], name="krvalue_history"),
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.measured_on})"


class KeyResultPart(models.Model):
    """One measured part of a compound key result; all parts must be met."""

    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="parts", verbose_name=_("key result")
    )
    label = models.CharField(_("part"), max_length=200)
    shape = models.CharField(_("shape"), max_length=16, choices=Shape.choices, default=Shape.METRIC)
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.INCREASE
    )
    start_value = models.DecimalField(_("start value"), null=True, blank=True, **VALUE_DIGITS)
    target_value = models.DecimalField(_("target value"), null=True, blank=True, **VALUE_DIGITS)
    current_value = models.DecimalField(_("current value"), null=True, blank=True, **VALUE_DIGITS)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("key result part")
        verbose_name_plural = _("key result parts")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="krpart_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class KeyResultPartValue(models.Model):
    """One recorded value of a compound key result's part; append-only like `KeyResultValue`."""

    part = models.ForeignKey(
        KeyResultPart, on_delete=models.CASCADE, related_name="values", verbose_name=_("part")
    )
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    measured_on = models.DateField(_("measured on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source = models.CharField(_("source"), max_length=16, choices=KeyResultValue.Source.choices)
    # A correction is a new row for the same day that points at the row it corrects; the
    # corrected row stays in the history (append-only).
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("part value")
        verbose_name_plural = _("part values")
        ordering = ["measured_on", "id"]

    def __str__(self) -> str:
        return f"{self.value} ({self.measured_on})"


class SlotOutcome(models.Model):
    """Whether one slot of a recurring key result was met; append-only, the newest per slot counts."""

    key_result = models.ForeignKey(
        KeyResult,
        on_delete=models.CASCADE,
        related_name="slot_outcomes",
        verbose_name=_("key result"),
    )
    slot_on = models.DateField(_("slot day"))
    met = models.BooleanField(_("met"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("slot outcome")
        verbose_name_plural = _("slot outcomes")
        ordering = ["slot_on", "id"]
        indexes = [models.Index(fields=["key_result", "slot_on"], name="slot_outcome_kr_day")]

    def __str__(self) -> str:
        return f"{self.slot_on}: {self.met}"


class TargetVersion(models.Model):
    """An earlier target of a key result, kept when the target changes mid-cycle."""

    key_result = models.ForeignKey(
        KeyResult,
        on_delete=models.CASCADE,
        related_name="target_versions",
        verbose_name=_("key result"),
    )
    old_target = models.DecimalField(_("old target"), null=True, **VALUE_DIGITS)
    new_target = models.DecimalField(_("new target"), null=True, **VALUE_DIGITS)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target version")
        verbose_name_plural = _("target versions")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_target} → {self.new_target}"


class Initiative(models.Model):
    """A piece of work under a key result; it helps move the KR but is not one."""

    key_result = models.ForeignKey(
        KeyResult,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("key result"),
    )
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["is_done", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ReviewDecision(models.TextChoices):
    PROPOSED = "proposed", _("Proposed for agreement")
    AGREED = "agreed", _("Agreed")
    RETURNED = "returned", _("Sent back")


class ObjectiveReview(models.Model):
    """One step of setting an objective together: proposed, agreed, or sent back with a comment."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("objective")
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("objective review")
        verbose_name_plural = _("objective reviews")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} {self.objective_id}"


class PersonOnObjectiveOrKeyResult(models.Model):
    """A person tied to exactly one objective or one key result (the shape of co-owners and followers).

    Two plain foreign keys rather than a generic relation, so the database keeps the
    invariants: exactly one of them is set, and a person appears once per objective or key result.
    """

    objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("objective"),
    )
    key_result = models.ForeignKey(
        KeyResult,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("key result"),
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="%(class)s_rows",
        verbose_name=_("person"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objective__isnull=False, key_result__isnull=True)
                | models.Q(objective__isnull=True, key_result__isnull=False),
                name="%(class)s_exactly_one_thing",
            ),
            models.UniqueConstraint(
                fields=["person", "objective"],
                condition=models.Q(objective__isnull=False),
                name="%(class)s_once_per_objective",
            ),
            models.UniqueConstraint(
                fields=["person", "key_result"],
                condition=models.Q(key_result__isnull=False),
                name="%(class)s_once_per_key_result",
            ),
        ]

    @property
    def thing(self) -> Objective | KeyResult:
        return self.objective or self.key_result  # type: ignore[return-value]


class CoOwner(PersonOnObjectiveOrKeyResult):
    """Someone besides the owner who may edit and check in on an objective or a key result."""

    class Meta(PersonOnObjectiveOrKeyResult.Meta):
        verbose_name = _("co-owner")
        verbose_name_plural = _("co-owners")

    def __str__(self) -> str:
        return f"{self.person_id} co-owns {self.objective_id or self.key_result_id}"


class Follower(PersonOnObjectiveOrKeyResult):
    """Someone who asked for an objective's or key result's notifications.

    Owners and co-owners follow implicitly and need no row (see `okrflow.okrs.sharing`).
    """

    class Meta(PersonOnObjectiveOrKeyResult.Meta):
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.objective_id or self.key_result_id}"
