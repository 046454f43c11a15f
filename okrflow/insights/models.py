"""The end of a cycle: its closing, frozen grades, reflections and carried-over objectives."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from okrflow.engine.risk import Risk, RiskKind, Severity
from okrflow.okrs.models import VALUE_DIGITS

SCORE_DIGITS = {"max_digits": 3, "decimal_places": 2}
SCORE_RANGE = models.Q(score__gte=0) & models.Q(score__lte=1)


class Band(models.TextChoices):
    RED = "red", _("0.0–0.3: failed to make real progress")
    YELLOW = "yellow", _("0.4–0.6: progress, but short of the goal")
    GREEN = "green", _("0.7–1.0: delivered")


class CycleClosing(models.Model):
    """The moment a cycle closed: who closed it and which targets it was graded on."""

    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="closing", verbose_name=_("cycle")
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    use_original_targets = models.BooleanField(_("graded on the original targets"), default=False)

    class Meta:
        verbose_name = _("cycle closing")
        verbose_name_plural = _("cycle closings")

    def __str__(self) -> str:
        return str(self.cycle)


class KeyResultGrade(models.Model):
    """A key result's frozen final value and score."""

    closing = models.ForeignKey(
        CycleClosing,
        on_delete=models.PROTECT,
        related_name="key_result_grades",
        verbose_name=_("closing"),
    )
    key_result = models.OneToOneField(
        "okrs.KeyResult",
        on_delete=models.PROTECT,
        related_name="grade",
        verbose_name=_("key result"),
    )
    final_value = models.DecimalField(_("final value"), null=True, blank=True, **VALUE_DIGITS)
    target_used = models.DecimalField(_("target graded on"), null=True, blank=True, **VALUE_DIGITS)
    progress = models.DecimalField(_("progress"), max_digits=12, decimal_places=4)
    score = models.DecimalField(_("score"), **SCORE_DIGITS)
    band = models.CharField(_("band"), max_length=8, choices=Band.choices)

    class Meta:
        verbose_name = _("key result grade")
        verbose_name_plural = _("key result grades")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=SCORE_RANGE, name="kr_grade_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.key_result_id}: {self.score}"


class ObjectiveGrade(models.Model):
    """An objective's frozen score and whether its kind counts it a success."""

    closing = models.ForeignKey(
        CycleClosing,
        on_delete=models.PROTECT,
        related_name="objective_grades",
        verbose_name=_("closing"),
    )
    objective = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="grade",
        verbose_name=_("objective"),
    )
    kind = models.CharField(_("kind"), max_length=16)
    score = models.DecimalField(_("score"), **SCORE_DIGITS)
    band = models.CharField(_("band"), max_length=8, choices=Band.choices)
    success = models.BooleanField(_("success"))

    class Meta:
        verbose_name = _("objective grade")
        verbose_name_plural = _("objective grades")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=SCORE_RANGE, name="objective_grade_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.objective_id}: {self.score}"


class Reflection(models.Model):
    """What went well, what did not, and what the owner learned, for one objective."""

    objective = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="reflection",
        verbose_name=_("objective"),
    )
    went_well = models.TextField(_("what went well"), blank=True)
    went_badly = models.TextField(_("what did not go well"), blank=True)
    lessons = models.TextField(_("lessons for next cycle"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return str(self.objective_id)


class CarryOver(models.Model):
    """An unfinished objective copied into a later cycle, linked back to where it came from."""

    source = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="carried_to",
        verbose_name=_("carried from"),
    )
    copy = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.PROTECT,
        related_name="carried_from",
        verbose_name=_("carried into"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("carried by"),
    )
    created_at = models.DateTimeField(_("carried at"), auto_now_add=True)

    class Meta:
        verbose_name = _("carried-over objective")
        verbose_name_plural = _("carried-over objectives")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("copy")), name="carry_over_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.copy_id}"


# Stored insights: what the dashboards read, so that a page at 10,000 people does not forecast
# 150,000 key results on every request. `okrflow.insights.snapshots` writes these rows; nothing
# else does. They hold derived figures only and are rebuilt whole, so deleting them loses nothing.


# The rows of one objective (its snapshot, heat cells and risks) keep the database's foreign key
# to their objective and key result only: some 230,000 of them are written again by a full
# refresh, and the database checked every other key of every row at the commit and kept an index
# for each (about 3 s of a 10,000-person refresh). What the others guard comes from elsewhere:
# a row's cycle is its objective's, which cannot outlive its cycle (`PROTECT`), so the objective's
# key guards it; units and people are never deleted but by `erase_everything`, and Django's
# collector still applies `on_delete` to these rows then. Queries by cycle use the composite
# indexes that begin with it.


def cycle_key(*, of_objective: bool = False) -> models.ForeignKey:
    """The cycle a stored row belongs to (its rows go with it). With `of_objective`, the row
    also has its objective's key, which guards the cycle: no constraint or index of its own."""
    return models.ForeignKey(
        "cycles.Cycle",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("cycle"),
        db_constraint=not of_objective,
        db_index=False,  # every table's composite indexes begin with the cycle
    )


def objective_key() -> models.ForeignKey:
    return models.ForeignKey(
        "okrs.Objective", on_delete=models.CASCADE, related_name="+", verbose_name=_("objective")
    )


def unit_key(*, of_objective: bool = False) -> models.ForeignKey:
    """The unit an objective belongs to: its own, its person's or its project's. With
    `of_objective` (a row of one objective's), no constraint or index of its own."""
    return models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
        db_constraint=not of_objective,
        db_index=not of_objective,
    )


class InsightRefresh(models.Model):
    """When a cycle's stored insights were computed, on which day's figures, and how long it took."""

    cycle = models.OneToOneField(
        "cycles.Cycle",
        on_delete=models.CASCADE,
        related_name="insight_refresh",
        verbose_name=_("cycle"),
    )
    computed_on = models.DateField(_("figures as of"))
    computed_at = models.DateTimeField(_("computed at"))
    fingerprint = models.CharField(_("data fingerprint"), max_length=400, blank=True)
    # The newest audit entry the stored figures include (0: the trail was empty, as after
    # `okrflow synth`): the next incremental refresh recomputes only the objectives that entries
    # after it touched. Empty: unknown, the next refresh recomputes everything.
    audit_mark = models.BigIntegerField(
        _("last audit entry included"), null=True, blank=True, default=None
    )
    objectives = models.PositiveIntegerField(_("objectives"), default=0)
    key_results = models.PositiveIntegerField(_("key results"), default=0)
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("insight refresh")
        verbose_name_plural = _("insight refreshes")

    def __str__(self) -> str:
        return f"{self.cycle_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class ObjectiveSnapshot(models.Model):
    """An objective's measured status, forecast and place in the alignment map."""

    cycle = cycle_key(of_objective=True)
    objective = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.CASCADE,
        related_name="snapshot",
        verbose_name=_("objective"),
    )
    unit = unit_key(of_objective=True)
    status = models.CharField(_("status"), max_length=16)
    progress = models.FloatField(_("progress"))
    expected = models.FloatField(_("expected progress"))
    forecast = models.FloatField(_("forecast"), null=True, blank=True)
    outlook = models.CharField(_("outlook"), max_length=16)
    key_results = models.PositiveIntegerField(_("key results"))
    forecast_sum = models.FloatField(_("sum of the key results' forecasts"), default=0)
    has_parent = models.BooleanField(_("aligned to a parent"), default=False)
    # What closing the cycle today would give (the grade preview of an open cycle).
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE_DIGITS)
    band = models.CharField(_("band"), max_length=8, blank=True, choices=Band.choices)
    success = models.BooleanField(_("success"), default=False)
    map_depth = models.PositiveIntegerField(_("depth in the alignment map"), default=0)
    map_order = models.PositiveIntegerField(_("position in the alignment map"), default=0)
    # What the stored totals (`okrflow.insights.totals`) need to count the objective.
    bucket = models.PositiveSmallIntegerField(_("visibility bucket"), default=0)
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    company_level = models.BooleanField(_("owned by the company"), default=False)
    personal = models.BooleanField(_("owned by a person"), default=False)
    drafted_by_owner = models.BooleanField(_("drafted by its owner"), default=False)
    agreed = models.BooleanField(_("agreed"), default=False)
    fresh_key_results = models.PositiveIntegerField(
        _("key results updated in the last week"), default=0
    )
    # Who owns it (F.A.C.T.S. Focus counts objectives per owner from these rows): "person",
    # "unit" or "project" and its id; `owner_team` says a unit owner is a team.
    owner_kind = models.CharField(_("owner kind"), max_length=8, blank=True)
    owner_key = models.PositiveIntegerField(_("owner id"), null=True, blank=True)
    owner_team = models.BooleanField(_("owned by a team"), default=False)
    # What the unit and person pages list of its key results (`okrflow.insights.listing`):
    # [id, status, progress, expected forecast] each; empty: stored before it was kept.
    lines = models.JSONField(_("key result figures"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("objective snapshot")
        verbose_name_plural = _("objective snapshots")
        indexes = [
            models.Index(fields=["cycle", "map_depth", "map_order"], name="snapshot_map"),
            models.Index(fields=["cycle", "unit"], name="snapshot_unit"),
            models.Index(fields=["cycle", "map_order"], name="snapshot_order"),
            models.Index(fields=["cycle", "owner_kind", "owner_key"], name="snapshot_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.objective_id}: {self.status}"


class HeatSnapshot(models.Model):
    """One objective's key results on one check-in day, summed for the heat map."""

    objective = objective_key()
    cycle = cycle_key(of_objective=True)
    unit = unit_key(of_objective=True)
    day = models.DateField(_("day"))
    progress_sum = models.FloatField(_("sum of progress"))
    pace_sum = models.FloatField(_("sum of pace"))
    known = models.PositiveIntegerField(_("key results with a value"))

    class Meta:
        verbose_name = _("heat map cell")
        verbose_name_plural = _("heat map cells")
        indexes = [models.Index(fields=["cycle", "unit", "day"], name="heat_unit_day")]

    def __str__(self) -> str:
        return f"{self.objective_id} {self.day}"


class RiskSnapshot(models.Model):
    """A risk the rules found, with the numbers its evidence is worded from."""

    cycle = cycle_key(of_objective=True)
    objective = objective_key()
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("key result"),
    )
    owner = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
        db_constraint=False,
        db_index=False,
    )
    owner_name = models.CharField(_("owner name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32)
    severity = models.CharField(_("severity"), max_length=16)
    code = models.CharField(_("rule"), max_length=64)
    suggestion = models.CharField(_("suggestion"), max_length=64)
    params = models.JSONField(_("evidence figures"), default=dict)
    unit = unit_key(of_objective=True)
    bucket = models.PositiveSmallIntegerField(_("visibility bucket"), default=0)
    # The rules' order as text that sorts the same way: severity, kind, objective, key result.
    rank = models.CharField(_("rank"), max_length=32)

    class Meta:
        verbose_name = _("risk snapshot")
        verbose_name_plural = _("risk snapshots")
        ordering = ["rank"]
        indexes = [
            models.Index(fields=["cycle", "rank"], name="risk_rank"),
            models.Index(fields=["cycle", "kind", "rank"], name="risk_kind_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.objective_id}/{self.key_result_id}"

    @property
    def owner_username(self) -> str | None:
        """Return the owner's sign-in name (with `select_related("owner__user")`)."""
        return self.owner.user.get_username() if self.owner is not None else None

    @cached_property
    def risk(self) -> Risk:
        """Return the risk as the rules found it, for wording its evidence (built once: a
        list reads it many times a row)."""
        return Risk(
            kind=RiskKind(self.kind),
            severity=Severity(self.severity),
            objective_id=self.objective_id,
            key_result_id=self.key_result_id,
            owner_id=self.owner_id,
            code=self.code,
            suggestion=self.suggestion,
            params=dict(self.params),
        )


class InsightTotal(models.Model):
    """What the dashboards show of one unit and everything below it, summed: one row per
    cycle, unit subtree and visibility bucket (see `okrflow.insights.totals`).

    `unit` empty holds the objectives outside every unit. `figures` maps a figure's name
    (``status:on_track``, ``risk:sudden:high``, ``heat:2026-04-03:p`` …) to its sum.
    """

    cycle = cycle_key()
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("unit"),
    )
    bucket = models.PositiveSmallIntegerField(_("visibility bucket"))
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("insight total")
        verbose_name_plural = _("insight totals")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "bucket"], name="insight_total_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}/{self.bucket}"


class CheckinStanding(models.Model):
    """One person's check-ins of a cycle, judged once: what the compliance totals sum.

    `marks` maps each week they checked in (its Monday) to "on" or "late" (judged on the
    first submission, which never changes); `last_week` is the latest week they checked in.
    """

    cycle = cycle_key()
    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    unit = unit_key()
    key_results = models.PositiveIntegerField(_("key results in their check-in"), default=0)
    marks = models.JSONField(_("weeks checked in"), default=dict)
    last_week = models.DateField(_("latest week checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in standing")
        verbose_name_plural = _("check-in standings")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="checkin_standing_unique"),
        ]
        indexes = [models.Index(fields=["cycle", "unit"], name="standing_unit")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.person_id}"
